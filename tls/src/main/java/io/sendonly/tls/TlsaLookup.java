package io.sendonly.tls;

import java.util.List;

/** What looking up {@code _port._tcp.host} TLSA records through the DNSSEC-validating resolver gave (RFC 7672 2.2). */
public sealed interface TlsaLookup {
    /** Validated records with at least one usable (usage 2 or 3): STARTTLS is required and the chain must match one. */
    record Usable(List<Tlsa> records, List<String> presentation) implements TlsaLookup {
    }

    /** No records, none usable, or an unsigned (insecure) answer: DANE does not apply to this host. */
    record Unusable() implements TlsaLookup {
    }

    /** A bogus or failed lookup: the host must not be used without DANE; delivery to it waits. */
    record Failed(TlsFailure failure) implements TlsaLookup {
    }

    /** One TLSA record's fields (RFC 6698 section 2.1). */
    record Tlsa(int usage, int selector, int matchingType, byte[] data) {
    }
}
