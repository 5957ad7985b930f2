package io.sendonly.dkim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.sendonly.config.TableFile;

/**
 * OpenDKIM {@code KeyTable}: {@code keyname domain:selector:keypath} per line, {@code #} comments. A {@code %} as
 * the domain stands for the domain being signed. Parse errors name {@code source:line}.
 */
public final class KeyTable {
    /** One line of the table; {@code line} is kept for error messages that must name it. */
    public record Entry(String name, String domain, String selector, String keyPath, String source, int line) {
        public String location() {
            return source + ":" + line;
        }

        public String domainFor(String signingDomain) {
            return domain.replace("%", signingDomain);
        }
    }

    private final Map<String, Entry> entries;

    private KeyTable(Map<String, Entry> entries) {
        // Keeps file order: warnings and listings follow the file.
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    public static KeyTable parse(List<String> lines, String source) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = TableFile.content(lines.get(i));
            if (line.isEmpty()) {
                continue;
            }
            String location = source + ":" + (i + 1);
            String[] columns = line.split("\\s+", 2);
            if (columns.length != 2) {
                throw new IllegalArgumentException(location + ": expected 'keyname domain:selector:keypath'");
            }
            String[] value = columns[1].trim().split(":", 3);
            if (value.length != 3 || value[0].isEmpty() || value[1].isEmpty() || value[2].isEmpty()) {
                throw new IllegalArgumentException(location + ": '" + columns[1].trim() + "' is not domain:selector:keypath");
            }
            if (entries.containsKey(columns[0])) {
                throw new IllegalArgumentException(location + ": key name '" + columns[0] + "' is already defined at "
                    + entries.get(columns[0]).location());
            }
            entries.put(columns[0], new Entry(columns[0], value[0], value[1], value[2], source, i + 1));
        }
        return new KeyTable(entries);
    }

    public Optional<Entry> get(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    public List<Entry> entries() {
        return List.copyOf(entries.values());
    }
}
