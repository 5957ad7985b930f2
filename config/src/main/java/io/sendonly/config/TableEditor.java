package io.sendonly.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One configuration file, edited so that the server can read it again: the new content is read by the loader the
 * server uses at start-up, and written (atomically, see {@link TableFile}) only when that loader accepts it.
 *
 * @param <E> an entry of the file's {@link EditableTable}
 */
public final class TableEditor<E> {
    /** What the server does with the file at start-up; throws IllegalArgumentException naming {@code file:line}. */
    public interface StartUpLoader {
        void load(List<String> lines) throws IOException;
    }

    private final Path file;
    private final EditableTable.Format<E> format;
    private final String field;
    private final StartUpLoader loader;

    /** @param field named first in the error when the loader refuses the new content: what the edit got wrong */
    public TableEditor(Path file, EditableTable.Format<E> format, String field, StartUpLoader loader) {
        this.file = file;
        this.format = format;
        this.field = field;
        this.loader = loader;
    }

    public Path file() {
        return file;
    }

    public EditableTable<E> table() throws IOException {
        return EditableTable.parse(TableFile.read(file), format, file.toString());
    }

    public void write(EditableTable<E> table) throws IOException {
        try {
            loader.load(table.lines());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
        }
        TableFile.write(file, table.lines());
    }
}
