package io.sendonly.tls;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.sendonly.tls.TlsaLookup.Tlsa;

/**
 * A host's certificate chain checked against its DNSSEC-validated TLSA records (RFC 7672 section 3), as Postfix's
 * {@code dane} level does. One matching record is enough:
 * <ul>
 * <li>usage 3 (DANE-EE): the host's own certificate (selector 0) or its SubjectPublicKeyInfo (selector 1) matches;
 * neither its names nor its validity dates are checked (RFC 7672 3.1.1);</li>
 * <li>usage 2 (DANE-TA): a certificate of the presented chain matches, each certificate from the host's own up to it
 * is signed by the next, those above the host's are CA certificates, all below the trust anchor are within their
 * validity dates, and the host's certificate names the MX host (RFC 7672 3.2.2, 3.2.3, matched as
 * {@link WebPkiCheck} matches names: wildcards only as the whole leftmost label). The trust anchor must be in the
 * chain: a usage 2 record holding a bare public key (2 1 0) for a key that the server does not send as a certificate
 * does not match.</li>
 * </ul>
 * Usages 0 and 1 are never usable for SMTP (RFC 7672 3.1.3) and are ignored, as are unknown selectors and matching
 * types.
 */
public final class DaneCheck implements PeerCheck {
    private final TlsaLookup.Usable tlsa;
    private final Clock clock;

    public DaneCheck(TlsaLookup.Usable tlsa, Clock clock) {
        this.tlsa = tlsa;
        this.clock = clock;
    }

    /** What delivery builds a host's check with, once its TLSA records are known. */
    public static Function<TlsaLookup.Usable, PeerCheck> factory(Clock clock) {
        return tlsa -> new DaneCheck(tlsa, clock);
    }

    @Override
    public Optional<TlsFailure> check(List<X509Certificate> chain, String hostName) {
        if (chain.isEmpty()) {
            return Optional.of(new TlsFailure(ResultType.VALIDATION_FAILURE, hostName + " presented no certificate"));
        }
        Optional<TlsFailure> trustAnchorFailure = Optional.empty();
        for (Tlsa record : tlsa.records()) {
            if (record.usage() == 3 && matches(record, chain.get(0))) {
                return Optional.empty();
            }
            if (record.usage() == 2) {
                for (int anchor = 0; anchor < chain.size(); anchor++) {
                    if (matches(record, chain.get(anchor))) {
                        Optional<TlsFailure> failure = trustAnchorChain(chain, anchor, hostName);
                        if (failure.isEmpty()) {
                            return failure;
                        }
                        trustAnchorFailure = trustAnchorFailure.or(() -> failure);
                    }
                }
            }
        }
        return trustAnchorFailure.or(() -> Optional.of(new TlsFailure(ResultType.VALIDATION_FAILURE,
            "no TLSA record of " + hostName + " matches the certificate chain it presented")));
    }

    /**
     * The chain from the host's certificate up to {@code chain[anchor]}, which matched a DANE-TA record: each one
     * issued by the next, every one below the anchor (the host's own at least) valid now, the host's naming it.
     */
    private Optional<TlsFailure> trustAnchorChain(List<X509Certificate> chain, int anchor, String hostName) {
        Date now = Date.from(clock.instant());
        for (int index = 0; index < Math.max(anchor, 1); index++) {
            X509Certificate certificate = chain.get(index);
            if (index < anchor && !issuedBy(certificate, chain.get(index + 1))) {
                return Optional.of(new TlsFailure(ResultType.VALIDATION_FAILURE, "certificate "
                    + certificate.getSubjectX500Principal() + " of " + hostName + " is not issued by the next one, "
                    + chain.get(index + 1).getSubjectX500Principal() + ", on the way to its DANE-TA trust anchor"));
            }
            try {
                certificate.checkValidity(now);
            } catch (CertificateExpiredException | CertificateNotYetValidException e) {
                return Optional.of(new TlsFailure(ResultType.CERTIFICATE_EXPIRED, "certificate "
                    + certificate.getSubjectX500Principal() + " of " + hostName + " is not valid now: " + e.getMessage()));
            }
        }
        String host = WebPkiCheck.normalized(hostName);
        if (WebPkiCheck.presentedNames(chain.get(0)).stream().noneMatch(name -> WebPkiCheck.matches(name, host))) {
            return Optional.of(new TlsFailure(ResultType.CERTIFICATE_HOST_MISMATCH, "the certificate of " + hostName
                + " (" + chain.get(0).getSubjectX500Principal() + ") does not name it"));
        }
        return Optional.empty();
    }

    private static boolean issuedBy(X509Certificate certificate, X509Certificate issuer) {
        if (!certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())
            || issuer.getBasicConstraints() < 0) {
            return false;
        }
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** RFC 6698 2.1.2 and 2.1.3: the selected part of the certificate, as is or hashed, equals the record's data. */
    static boolean matches(Tlsa record, X509Certificate certificate) {
        byte[] selected;
        try {
            selected = switch (record.selector()) {
                case 0 -> certificate.getEncoded();
                case 1 -> certificate.getPublicKey().getEncoded();
                default -> null;
            };
        } catch (CertificateEncodingException e) {
            return false;
        }
        if (selected == null) {
            return false;
        }
        byte[] associated = switch (record.matchingType()) {
            case 0 -> selected;
            case 1 -> digest("SHA-256", selected);
            case 2 -> digest("SHA-512", selected);
            default -> null;
        };
        return associated != null && MessageDigest.isEqual(associated, record.data());
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "DANE " + Arrays.toString(tlsa.presentation().toArray());
    }
}
