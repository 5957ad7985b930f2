package io.sendonly.route;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import io.sendonly.config.EditableTable;
import io.sendonly.config.Fields;
import io.sendonly.config.TableEditor;

/**
 * Edits a routes file so that delivery can read it again: each field is checked before it is written, and the whole
 * new file is read by {@link RouteTable#load}, as at start-up, before it replaces the old one atomically (mode
 * 0600: hops hold passwords). Errors never show a password.
 */
public final class RouteTableEditor {
    /** One line: {@code recipient|sender DOMAIN HOP} or {@code default HOP}; a key's lines are its hops in failover order. */
    public record Line(RouteTable.Match match, Optional<String> domain, String hop) {
        /** Domains are case-insensitive: lower case, as the table looks them up. */
        public Line {
            domain = domain.map(value -> value.toLowerCase(Locale.ROOT));
        }

        public boolean hasKey(RouteTable.Match match, Optional<String> domain) {
            return this.match == match && this.domain.equals(domain);
        }
    }

    public static final EditableTable.Format<Line> FORMAT = new EditableTable.Format<>() {
        @Override
        public Line parse(String content) {
            String[] words = content.split("\\s+");
            RouteTable.Match match = match(words[0]);
            int hopStart = match == RouteTable.Match.DEFAULT ? 1 : 2;
            if (words.length <= hopStart) {
                throw new IllegalArgumentException("expected '" + words[0] + (hopStart == 2 ? " DOMAIN" : "") + " HOP'");
            }
            Optional<String> domain = hopStart == 2 ? Optional.of(words[1]) : Optional.empty();
            return new Line(match, domain, String.join(" ", Arrays.asList(words).subList(hopStart, words.length)));
        }

        @Override
        public String format(Line line) {
            if (line.match() == RouteTable.Match.DEFAULT && line.domain().isPresent()) {
                throw new IllegalArgumentException("domain: the default route has none");
            }
            String domain = line.match() == RouteTable.Match.DEFAULT ? ""
                : " " + Fields.word("domain", line.domain().orElse(""));
            try {
                return line.match().name().toLowerCase(Locale.ROOT) + domain + " " + Fields.text("hop", line.hop());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(NextHops.redact(e.getMessage()), e);
            }
        }
    };

    private RouteTableEditor() {
    }

    public static TableEditor<Line> open(Path file) {
        return new TableEditor<>(file, FORMAT, "hop", lines -> RouteTable.load(lines, file));
    }

    private static RouteTable.Match match(String word) {
        return Arrays.stream(RouteTable.Match.values()).filter(match -> match.name().toLowerCase(Locale.ROOT).equals(word))
            .findFirst().orElseThrow(() -> new IllegalArgumentException("'" + word + "': expected recipient, sender or default"));
    }
}
