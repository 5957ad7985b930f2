package io.sendonly.suppress;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One listed recipient: mail to {@code address} (from {@code senderDomain} only, when present) is not attempted
 * until {@code expiresAt}. {@code status} and {@code reply} are what the hard bounce that listed it said, or
 * {@code manual} for an entry added by hand.
 */
public record Suppression(String address, Optional<String> senderDomain, Instant listedAt, Instant expiresAt, String status,
                          String reply) {
    /** Written for entries of every sender domain. */
    static final String ANY_SENDER = "*";
    private static final String SEPARATOR = "\t";
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    /**
     * @throws IllegalArgumentException for an address with a control character, which would split its line in the
     *     file (SMTP never carries one; a quoted local part could)
     */
    public Suppression {
        if (CONTROL.matcher(address).find() || senderDomain.filter(domain -> CONTROL.matcher(domain).find()).isPresent()) {
            throw new IllegalArgumentException("address: a control character in '" + address.replaceAll("\\p{Cntrl}", "?") + "'");
        }
        address = address.toLowerCase(Locale.ROOT);
        senderDomain = senderDomain.map(domain -> domain.toLowerCase(Locale.ROOT));
        Objects.requireNonNull(listedAt);
        Objects.requireNonNull(expiresAt);
        status = oneLine(status);
        reply = oneLine(reply);
    }

    public boolean expired(Instant now) {
        return !expiresAt.isAfter(now);
    }

    /** Why mail to this recipient is not attempted, for the DSN and the log; how to undo it, for the operator. */
    public String explanation() {
        return "recipient suppressed since " + listedAt + " after '" + reply + "'; remove it with: sendonly suppressions remove "
            + address + senderDomain.map(domain -> " --sender-domain=" + domain).orElse("");
    }

    /** The key of the list: one entry per address and sender domain. */
    Key key() {
        return new Key(address, senderDomain);
    }

    /** One line of the list file, tab-separated: address, sender domain or {@code *}, listed, expires, status, reply. */
    String line() {
        return String.join(SEPARATOR, address, senderDomain.orElse(ANY_SENDER), listedAt.toString(), expiresAt.toString(), status, reply);
    }

    /** @throws IllegalArgumentException naming what is wrong with the line */
    static Suppression parse(String line) {
        String[] fields = line.split(SEPARATOR, 6);
        if (fields.length != 6) {
            throw new IllegalArgumentException("expected 6 tab-separated fields, got " + fields.length);
        }
        try {
            return new Suppression(fields[0], fields[1].equals(ANY_SENDER) ? Optional.empty() : Optional.of(fields[1]),
                Instant.parse(fields[2]), Instant.parse(fields[3]), fields[4], fields[5]);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("bad time: " + e.getParsedString());
        }
    }

    /** Replies may span lines (multi-line SMTP replies) or hold tabs: one entry stays one line of six fields. */
    private static String oneLine(String text) {
        return CONTROL.matcher(text).replaceAll(" ").replaceAll(" {2,}", " ").strip();
    }

    record Key(String address, Optional<String> senderDomain) {
    }
}
