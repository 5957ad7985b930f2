package io.sendonly.tls.sts;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A domain's {@code _mta-sts} TXT record (RFC 8461 section 3.1): {@code v=STSv1; id=...;}, its {@code id} naming
 * the policy version in force.
 */
record StsRecord(String id) {
    private static final String VERSION = "v=STSv1";
    private static final Pattern DELIMITER = Pattern.compile("[ \t]*;[ \t]*");
    private static final Pattern ID = Pattern.compile("id=([A-Za-z0-9]{1,32})");
    private static final Pattern EXTENSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}=[\\x21-\\x3a\\x3c\\x3e-\\x7e]+");

    /**
     * The one record among a name's TXT records (each given as its strings joined) that begins with
     * {@code v=STSv1}; none when there is no such record, several, or one that does not read.
     */
    static Optional<StsRecord> select(List<String> txtRecords) {
        List<String> candidates = txtRecords.stream().filter(text -> text.startsWith(VERSION)).toList();
        return candidates.size() == 1 ? parse(candidates.get(0)) : Optional.empty();
    }

    /** Strictly as the ABNF says: the version first, then fields separated by {@code ;}, an {@code id} among them. */
    static Optional<StsRecord> parse(String text) {
        String[] fields = DELIMITER.split(text, -1);
        if (fields.length < 2 || !fields[0].equals(VERSION)) {
            return Optional.empty();
        }
        Optional<String> id = Optional.empty();
        for (int index = 1; index < fields.length; index++) {
            String field = fields[index];
            if (field.isEmpty() && index == fields.length - 1 && index > 1) {
                continue;
            }
            var idField = ID.matcher(field);
            if (idField.matches()) {
                id = id.or(() -> Optional.of(idField.group(1)));
            } else if (field.startsWith("id=") || !EXTENSION.matcher(field).matches()) {
                return Optional.empty();
            }
        }
        return id.map(StsRecord::new);
    }
}
