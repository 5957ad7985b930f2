package io.sendonly.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableEditorTest {
    private static final EditableTable.Format<String> WORDS = new EditableTable.Format<>() {
        @Override
        public String parse(String content) {
            return content;
        }

        @Override
        public String format(String entry) {
            return Fields.word("word", entry);
        }
    };

    @TempDir
    Path directory;

    @Test
    void whatTheLoaderRefusesShouldNotBeWrittenAndTheErrorShouldNameTheField() throws Exception {
        Path file = directory.resolve("words");
        Files.write(file, List.of("# words", "a"));
        TableEditor<String> editor = new TableEditor<>(file, WORDS, "word", lines -> {
            if (lines.contains("b")) {
                throw new IllegalArgumentException("words:3: 'b' is not allowed");
            }
        });

        assertThatThrownBy(() -> editor.write(editor.table().add("b"))).hasMessage("word: words:3: 'b' is not allowed");
        assertThat(Files.readAllLines(file)).containsExactly("# words", "a");

        editor.write(editor.table().add("c"));
        assertThat(editor.table().entries()).containsExactly("a", "c");
    }
}
