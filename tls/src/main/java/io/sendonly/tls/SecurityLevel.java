package io.sendonly.tls;

import java.util.Locale;

/**
 * How much TLS delivery demands of a destination, named and meant as Postfix's {@code smtp_tls_security_level}.
 */
public enum SecurityLevel {
    /** Plain SMTP; STARTTLS is never tried. */
    NONE,
    /** STARTTLS when offered, any certificate; plain when it is not offered or the handshake fails. */
    MAY,
    /** STARTTLS or no delivery (deferred); any certificate. */
    ENCRYPT,
    /** TLSA records when DNSSEC-validated (RFC 7672); {@link #MAY} when the domain has none or is unsigned. */
    DANE,
    /** STARTTLS, a certificate chaining to a trusted authority and naming the host as found in DNS. */
    VERIFY,
    /** As {@link #VERIFY}, the name matched against the destination's {@code match=} names (MX names not trusted). */
    SECURE;

    /** @throws IllegalArgumentException naming the accepted words */
    public static SecurityLevel parse(String word) {
        try {
            return valueOf(word.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown TLS security level '" + word
                + "' (none, may, encrypt, dane, verify or secure)", e);
        }
    }

    /** STARTTLS must succeed, or the mail waits. */
    public boolean requiresTls() {
        return this != NONE && this != MAY;
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
