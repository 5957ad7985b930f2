package io.sendonly.dkim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.sendonly.config.TableLines;
import io.sendonly.config.TableReference;

/**
 * OpenDKIM {@code SigningTable}: {@code pattern keyname} per line. In {@code refile:} form a pattern is an address
 * with {@code *} wildcards ({@code *@example.com}, {@code *@*.example.com}); in plain form it is an exact address or
 * a domain. Lookups return the matching key names in file order (the first wins unless MultipleSignatures).
 */
public final class SigningTable {
    private record Entry(String pattern, Pattern regex, String keyName, int line) {
    }

    private final List<Entry> entries;
    private final boolean wildcards;

    private SigningTable(List<Entry> entries, boolean wildcards) {
        this.entries = List.copyOf(entries);
        this.wildcards = wildcards;
    }

    /** @param wildcards true for the {@code refile:} form */
    public static SigningTable parse(List<String> lines, String source, boolean wildcards) {
        List<Entry> entries = new ArrayList<>();
        for (TableLines.Line line : TableLines.of(lines, source)) {
            DkimTablesEditor.Signing signing = line.parse(content -> DkimTablesEditor.SIGNING_FORMAT.parse(content.content()));
            String pattern = signing.pattern().toLowerCase(Locale.ROOT);
            if (!wildcards && pattern.contains("*")) {
                throw line.error("'" + signing.pattern() + "' has a wildcard: use the " + TableReference.REFILE + " form");
            }
            entries.add(new Entry(pattern, wildcards ? toRegex(pattern) : null, signing.key(), line.number()));
        }
        return new SigningTable(entries, wildcards);
    }

    /** Key names whose pattern matches {@code address} (local@domain), in file order. */
    public List<String> lookup(String address) {
        String normalized = address.toLowerCase(Locale.ROOT);
        String domain = normalized.substring(normalized.lastIndexOf('@') + 1);
        List<String> names = new ArrayList<>();
        for (Entry entry : entries) {
            boolean matches = wildcards
                ? entry.regex().matcher(normalized).matches()
                : entry.pattern().equals(normalized) || entry.pattern().equals(domain);
            if (matches) {
                names.add(entry.keyName());
            }
        }
        return names;
    }

    /** The patterns, in file order. */
    public List<String> patterns() {
        return entries.stream().map(Entry::pattern).toList();
    }

    public List<String> keyNames() {
        return entries.stream().map(Entry::keyName).toList();
    }

    /** Where {@code keyName} is used, for error messages. */
    public String location(String keyName, String source) {
        return entries.stream().filter(entry -> entry.keyName().equals(keyName)).findFirst()
            .map(entry -> source + ":" + entry.line()).orElse(source);
    }

    private static Pattern toRegex(String pattern) {
        return Pattern.compile(Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*")));
    }
}
