package io.sendonly.dkim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.sendonly.config.TableLines;

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
        for (TableLines.Line line : TableLines.of(lines, source)) {
            DkimTablesEditor.Key key = line.parse(content -> DkimTablesEditor.KEY_FORMAT.parse(content.content()));
            if (entries.containsKey(key.name())) {
                throw line.error("key name '" + key.name() + "' is already defined at " + entries.get(key.name()).location());
            }
            entries.put(key.name(), new Entry(key.name(), key.domain(), key.selector(), key.keyPath(), source, line.number()));
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
