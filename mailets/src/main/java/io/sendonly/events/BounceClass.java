package io.sendonly.events;

import java.util.Locale;
import java.util.Optional;

/**
 * Why a recipient was not delivered, for events, reports, metrics and the suppression list: read from the RFC 3463
 * enhanced status code first, then from the reply text where the code alone is too coarse.
 */
public enum BounceClass {
    /** The address or its domain does not exist (5.1.x): the only class that suppresses the recipient. */
    HARD,
    /** Temporary, or a full mailbox (4.x.x, 5.2.2). */
    SOFT,
    /** Refused by policy or reputation (x.7.x but TLS). */
    POLICY,
    /** No TLS as required, or its handshake failed (x.7.4, x.7.5, x.7.10, or TLS named in the reply). */
    TLS,
    /** The domain's DNS failed or names no mail host (x.4.3, x.4.4, or DNS named in the reply). */
    DNS,
    /** Deferred past the queue lifetime (x.4.7). */
    EXPIRED,
    /** Permanent, and none of the above: size (5.3.x), protocol (5.5.x), content (5.6.x), routing (5.4.x). */
    OTHER;

    /**
     * @param status an enhanced status code, "5.1.1"
     * @param diagnostic the reply or our own explanation, for the words that refine a coarse code
     * @return empty for a success (2.x.x) or a status that is not an enhanced code
     */
    public static Optional<BounceClass> of(String status, String diagnostic) {
        String[] parts = status == null ? new String[0] : status.trim().split("\\.");
        if (parts.length != 3 || !parts[0].matches("[245]") || !parts[1].matches("[0-9]{1,3}") || !parts[2].matches("[0-9]{1,3}")) {
            return Optional.empty();
        }
        if (parts[0].equals("2")) {
            return Optional.empty();
        }
        String text = diagnostic == null ? "" : diagnostic.toLowerCase(Locale.ROOT);
        boolean permanent = parts[0].equals("5");
        int subject = Integer.parseInt(parts[1]);
        int detail = Integer.parseInt(parts[2]);
        if (subject == 4 && detail == 7) {
            return Optional.of(EXPIRED);
        }
        if (permanent && subject == 1 && (detail <= 3 || detail == 6 || detail == 10)) {
            return Optional.of(HARD);
        }
        if (subject == 7 && (detail == 4 || detail == 5 || detail == 10) || text.contains("tls") || text.contains("certificate")) {
            return Optional.of(TLS);
        }
        if (subject == 4 && (detail == 3 || detail == 4) || text.contains("dns") || text.contains("nxdomain")) {
            return Optional.of(DNS);
        }
        if (!permanent || subject == 2 && detail == 2) {
            return Optional.of(SOFT);
        }
        return Optional.of(subject == 7 ? POLICY : OTHER);
    }
}
