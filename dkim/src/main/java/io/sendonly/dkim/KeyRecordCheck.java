package io.sendonly.dkim;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Whether the DNS publishes the public half of a private key at {@code SELECTOR._domainkey.DOMAIN}: what webadmin's
 * key routes and the preflight both ask. The caller looks the TXT records up, with its own resolver.
 *
 * @param published the record found, when there is one
 * @param expected the {@code p=} value our private key needs, when it can be known
 */
public record KeyRecordCheck(Status status, Optional<String> published, Optional<String> expected) {
    public enum Status {
        /** The record's key is our private key's public half. */
        PUBLISHED("published"),
        MISSING("missing"),
        /** Another key is published. */
        MISMATCH("mismatch"),
        SYNTAX_ERROR("syntaxError");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public static String dnsName(String selector, String domain) {
        return selector + "._domainkey." + domain;
    }

    /** @param txtRecords the TXT records of {@link #dnsName}, each as the resolver gives it (quoted strings or not) */
    public static KeyRecordCheck of(Path keyFile, String selector, Collection<String> txtRecords) {
        Optional<String> expected = PublishedKeys.expected(keyFile, selector);
        List<String> records = txtRecords.stream().map(TxtPresentation::text)
            .filter(record -> record.contains("p=") || record.startsWith("v=DKIM1")).toList();
        if (records.isEmpty()) {
            return new KeyRecordCheck(Status.MISSING, Optional.empty(), expected);
        }
        String record = records.get(0);
        Optional<String> published = PublishedKeys.publicKeyOf(record);
        if (published.isEmpty()) {
            return new KeyRecordCheck(Status.SYNTAX_ERROR, Optional.of(record), expected);
        }
        boolean matches = expected.map(published.get()::equals).orElse(false);
        return new KeyRecordCheck(matches ? Status.PUBLISHED : Status.MISMATCH, Optional.of(record), expected);
    }
}
