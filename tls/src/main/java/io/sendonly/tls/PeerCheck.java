package io.sendonly.tls;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * What a host's certificate must satisfy, checked after the handshake on the chain it presented (the handshake
 * itself accepts any certificate, so that {@code may} and {@code encrypt} and every check share one path).
 */
@FunctionalInterface
public interface PeerCheck {
    /**
     * @param chain the peer's certificates, its own first
     * @param hostName the host as delivery knows it (the MX name, or the smart host's name)
     * @return empty when the chain satisfies the check; otherwise why not
     */
    Optional<TlsFailure> check(List<X509Certificate> chain, String hostName);
}
