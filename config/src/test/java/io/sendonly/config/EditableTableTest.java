package io.sendonly.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class EditableTableTest {
    /** name value, as in a KeyTable. */
    private record Pair(String name, String value) {
    }

    private static final EditableTable.Format<Pair> FORMAT = new EditableTable.Format<>() {
        @Override
        public Pair parse(String content) {
            String[] words = content.split("\\s+");
            if (words.length != 2) {
                throw new IllegalArgumentException("expected 'name value'");
            }
            return new Pair(words[0], words[1]);
        }

        @Override
        public String format(Pair entry) {
            return Fields.word("name", entry.name()) + " " + Fields.word("value", entry.value());
        }
    };

    private static final List<String> FILE = List.of("# header", "", "a   1  # first", "#", "b 2", "# trailer");

    @Test
    void parseThenLinesShouldGiveTheFileBackUnchanged() {
        EditableTable<Pair> table = EditableTable.parse(FILE, FORMAT, "t");

        assertThat(table.lines()).isEqualTo(FILE);
        assertThat(table.entries()).containsExactly(new Pair("a", "1"), new Pair("b", "2"));
    }

    @Test
    void parseShouldNameSourceAndLine() {
        assertThatThrownBy(() -> EditableTable.parse(List.of("# c", "a"), FORMAT, "t"))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("t:2: expected 'name value'");
    }

    @Test
    void editsShouldKeepCommentsAndUntouchedLines() {
        EditableTable<Pair> table = EditableTable.parse(FILE, FORMAT, "t");

        assertThat(table.add(new Pair("c", "3")).lines()).containsExactly("# header", "", "a   1  # first", "#", "b 2", "# trailer", "c 3");
        assertThat(table.insert(0, new Pair("c", "3")).lines()).containsExactly("# header", "", "c 3", "a   1  # first", "#", "b 2", "# trailer");
        assertThat(table.insert(1, new Pair("c", "3")).lines()).containsExactly("# header", "", "a   1  # first", "#", "c 3", "b 2", "# trailer");
        assertThat(table.removeIf(pair -> pair.name().equals("a")).lines()).containsExactly("# header", "", "#", "b 2", "# trailer");
        assertThat(table.replaceAll(pair -> pair.name().equals("b") ? new Pair("b", "9") : pair).lines())
            .containsExactly("# header", "", "a   1  # first", "#", "b 9", "# trailer");
        assertThat(table.withEntries(List.of(new Pair("z", "0"))).lines()).containsExactly("# header", "", "z 0");
    }

    @Test
    void replaceShouldPutTheReplacementWhereTheFirstMatchWasOrAppendIt() {
        EditableTable<Pair> table = EditableTable.parse(List.of("a 1", "b 2", "a 3"), FORMAT, "t");

        assertThat(table.replace(pair -> pair.name().equals("a"), List.of(new Pair("a", "7"), new Pair("a", "8"))).lines())
            .containsExactly("a 7", "a 8", "b 2");
        assertThat(table.replace(pair -> pair.name().equals("c"), List.of(new Pair("c", "7"))).lines())
            .containsExactly("a 1", "b 2", "a 3", "c 7");
    }

    @Test
    void insertShouldRefuseAPositionOutsideTheTable() {
        EditableTable<Pair> table = EditableTable.parse(FILE, FORMAT, "t");

        assertThatThrownBy(() -> table.insert(3, new Pair("c", "3"))).hasMessage("position: 3: expected 0 to 2");
        assertThatThrownBy(() -> table.insert(-1, new Pair("c", "3"))).hasMessageStartingWith("position: ");
    }

    @Test
    void anEntryTheFormatCannotWriteShouldBeRefusedNamingTheField() {
        EditableTable<Pair> table = EditableTable.parse(FILE, FORMAT, "t");

        assertThatThrownBy(() -> table.add(new Pair("c", "3\rd 4"))).hasMessageStartingWith("value: ");
    }
}
