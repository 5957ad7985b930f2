package io.sendonly.tls;

/**
 * DNSSEC-validated answers for DANE (RFC 7672), as the configured validating resolver vouches for them.
 */
public interface DaneRecords {
    /** Nothing validates: DANE never applies. */
    DaneRecords NONE = new DaneRecords() {
        @Override
        public boolean mxSecure(String domain) {
            return false;
        }

        @Override
        public TlsaLookup tlsa(String host, int port) {
            return new TlsaLookup.Unusable();
        }
    };

    /** The domain's MX RRset (or, without MX, its address records) is DNSSEC-validated: DANE may apply (RFC 7672 2.2.1). */
    boolean mxSecure(String domain);

    TlsaLookup tlsa(String host, int port);
}
