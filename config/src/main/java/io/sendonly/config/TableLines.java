package io.sendonly.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The lines of a table file as OpenDKIM reads its data sets: {@code #} starts a comment that runs to the end of the
 * line, surrounding whitespace is dropped, and a line left empty is skipped. Each line keeps its number, so that
 * every error reads {@code source:line: problem}.
 */
public final class TableLines {
    /** A line with content: {@code number} counts from 1 and includes the skipped lines. */
    public record Line(String source, int number, String content) {
        public String location() {
            return source + ":" + number;
        }

        /** The whitespace-separated columns; with {@code limit} above 0, at most that many, the last one the rest. */
        public List<String> columns(int limit) {
            return List.of(content.split("\\s+", limit));
        }

        public IllegalArgumentException error(String problem) {
            return new IllegalArgumentException(location() + ": " + problem);
        }

        /** {@code parser} applied to this line; the IllegalArgumentException it throws gets the location in front. */
        public <T> T parse(Function<Line, T> parser) {
            try {
                return parser.apply(this);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(location() + ": " + e.getMessage(), e);
            }
        }
    }

    private TableLines() {
    }

    /** A line without its comment, trimmed: empty for comment and blank lines. */
    public static String content(String line) {
        int hash = line.indexOf('#');
        return (hash >= 0 ? line.substring(0, hash) : line).trim();
    }

    /** The lines that have content, in file order. */
    public static List<Line> of(List<String> lines, String source) {
        List<Line> content = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String text = content(lines.get(i));
            if (!text.isEmpty()) {
                content.add(new Line(source, i + 1, text));
            }
        }
        return List.copyOf(content);
    }
}
