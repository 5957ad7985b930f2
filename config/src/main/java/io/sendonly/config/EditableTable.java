package io.sendonly.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A line-oriented configuration file as a typed model: its entries in file order, and its comment and blank lines
 * kept where they are. Edits return a new table; an entry nobody changed keeps its line as written (spacing,
 * trailing comment), an added or replaced one is written by the format. Immutable.
 *
 * @param <E> an entry, whose fields the format checks (see {@link Fields}) both when reading and when writing
 */
public final class EditableTable<E> {
    /** How one format reads the content of a line (comment stripped, not empty) and writes an entry back. */
    public interface Format<E> {
        /** @throws IllegalArgumentException naming the field */
        E parse(String content);

        /** @throws IllegalArgumentException naming the field that cannot be written */
        String format(E entry);
    }

    /** A line of the file: {@code entry} is empty for comment and blank lines. */
    private record Line<E>(String text, Optional<E> entry) {
    }

    private final Format<E> format;
    private final List<Line<E>> lines;

    private EditableTable(Format<E> format, List<Line<E>> lines) {
        this.format = format;
        this.lines = List.copyOf(lines);
    }

    /** @param source names the file in errors, which read {@code source:line: problem} */
    public static <E> EditableTable<E> parse(List<String> lines, Format<E> format, String source) {
        List<Line<E>> parsed = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String content = TableLines.content(lines.get(i));
            Optional<E> entry = content.isEmpty() ? Optional.empty()
                : Optional.of(new TableLines.Line(source, i + 1, content).parse(line -> format.parse(line.content())));
            parsed.add(new Line<>(lines.get(i), entry));
        }
        return new EditableTable<>(format, parsed);
    }

    public List<E> entries() {
        return lines.stream().flatMap(line -> line.entry().stream()).toList();
    }

    /** The file's lines, as they are to be written. */
    public List<String> lines() {
        return lines.stream().map(Line::text).toList();
    }

    /** Appended at the end of the file. */
    public EditableTable<E> add(E entry) {
        List<Line<E>> edited = new ArrayList<>(lines);
        edited.add(line(entry));
        return new EditableTable<>(format, edited);
    }

    /** Before the entry now at {@code position} (0 is first); at the end of the file when it is the number of entries. */
    public EditableTable<E> insert(int position, E entry) {
        int count = entries().size();
        if (position < 0 || position > count) {
            throw new IllegalArgumentException("position: " + position + ": expected 0 to " + count);
        }
        if (position == count) {
            return add(entry);
        }
        List<Line<E>> edited = new ArrayList<>(lines);
        edited.add(lineIndexOfEntry(position), line(entry));
        return new EditableTable<>(format, edited);
    }

    public EditableTable<E> removeIf(Predicate<E> which) {
        List<Line<E>> edited = new ArrayList<>(lines);
        edited.removeIf(line -> line.entry().filter(which).isPresent());
        return new EditableTable<>(format, edited);
    }

    /** Each entry {@code change} gives back unchanged (equal) keeps its line; the others are written anew. */
    public EditableTable<E> replaceAll(UnaryOperator<E> change) {
        List<Line<E>> edited = new ArrayList<>();
        for (Line<E> line : lines) {
            Optional<E> changed = line.entry().map(change);
            edited.add(changed.equals(line.entry()) ? line : line(changed.orElseThrow()));
        }
        return new EditableTable<>(format, edited);
    }

    /**
     * The entries matching {@code which} replaced by {@code replacement}, where the first of them was; appended when
     * none matched.
     */
    public EditableTable<E> replace(Predicate<E> which, List<E> replacement) {
        List<Line<E>> edited = new ArrayList<>();
        boolean replaced = false;
        for (Line<E> line : lines) {
            if (line.entry().filter(which).isEmpty()) {
                edited.add(line);
            } else if (!replaced) {
                replacement.forEach(entry -> edited.add(line(entry)));
                replaced = true;
            }
        }
        if (!replaced) {
            replacement.forEach(entry -> edited.add(line(entry)));
        }
        return new EditableTable<>(format, edited);
    }

    /** All entries replaced by {@code entries}, in this order; the comment and blank lines before the first entry kept. */
    public EditableTable<E> withEntries(List<E> entries) {
        List<Line<E>> edited = new ArrayList<>(lines.subList(0, entries().isEmpty() ? lines.size() : lineIndexOfEntry(0)));
        entries.forEach(entry -> edited.add(line(entry)));
        return new EditableTable<>(format, edited);
    }

    private Line<E> line(E entry) {
        return new Line<>(format.format(entry), Optional.of(entry));
    }

    private int lineIndexOfEntry(int position) {
        int seen = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).entry().isPresent() && seen++ == position) {
                return i;
            }
        }
        throw new IndexOutOfBoundsException(position);
    }
}
