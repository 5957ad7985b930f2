package io.sendonly.server.accept;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What the From-alignment guard does with mail whose From domain cannot align under DMARC. */
public enum AlignmentMode {
    /** No check. */
    OFF,
    /** A WARN line and an UNALIGNED event; the mail goes on. The default. */
    LOG,
    /** As LOG, and the message is refused at DATA with 550 5.7.26 (maildrop mail, which has no SMTP client, is logged). */
    REFUSE;

    public static final AlignmentMode DEFAULT = LOG;

    /** @param where names the parameter in the error, e.g. {@code "CheckFromAlignment <mode>"} */
    public static AlignmentMode parse(String value, String where) {
        return Arrays.stream(values()).filter(mode -> mode.toString().equals(value.trim())).findFirst()
            .orElseThrow(() -> new IllegalArgumentException(where + " '" + value + "': expected "
                + Arrays.stream(values()).map(AlignmentMode::toString).collect(Collectors.joining(", "))));
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
