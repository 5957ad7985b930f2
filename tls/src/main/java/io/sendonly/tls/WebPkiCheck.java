package io.sendonly.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;

/**
 * The WebPKI check of Postfix's {@code verify} and {@code secure} levels and of MTA-STS: the chain leads to a trusted
 * authority, no certificate of it is out of its validity period, and the peer's certificate names one of the reference
 * names, as RFC 6125 matches them: its DNS names ({@code subjectAltName dNSName}), or its common name only when it has
 * none; a wildcard only as the whole left-most label, standing for exactly one label.
 * <p>
 * Reference names are host names; {@link #HOSTNAME} stands for the host delivery connected to (the MX name, or the
 * smart host), and a name starting with a dot ({@code .example.com}) accepts any name below it (Postfix's
 * {@code dot-nexthop}).
 */
public final class WebPkiCheck implements PeerCheck {
    /** The reference name that means the host as delivery knows it. */
    public static final String HOSTNAME = "hostname";
    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9]+(\\.[0-9]+){3}|[0-9a-f]*:[0-9a-f:.]*");

    private final TrustAnchors anchors;
    private final List<String> referenceNames;
    private final Clock clock;

    /** @param referenceNames names the certificate may carry, {@link #HOSTNAME} among them or not */
    public WebPkiCheck(TrustAnchors anchors, List<String> referenceNames, Clock clock) {
        if (referenceNames.isEmpty()) {
            throw new IllegalArgumentException("a WebPKI check needs at least one name to match");
        }
        this.anchors = anchors;
        this.referenceNames = referenceNames.stream().map(WebPkiCheck::normalized).toList();
        this.clock = clock;
    }

    /** The certificate must name the host delivery connected to. */
    public static WebPkiCheck ofHostName(TrustAnchors anchors, Clock clock) {
        return new WebPkiCheck(anchors, List.of(HOSTNAME), clock);
    }

    @Override
    public Optional<TlsFailure> check(List<X509Certificate> chain, String hostName) {
        if (chain.isEmpty()) {
            return Optional.of(new TlsFailure(ResultType.VALIDATION_FAILURE, "no certificate presented"));
        }
        Date now = Date.from(clock.instant());
        for (X509Certificate certificate : chain) {
            try {
                certificate.checkValidity(now);
            } catch (CertificateExpiredException | CertificateNotYetValidException e) {
                return Optional.of(new TlsFailure(ResultType.CERTIFICATE_EXPIRED, "certificate of "
                    + certificate.getSubjectX500Principal().getName() + " is valid from " + certificate.getNotBefore().toInstant()
                    + " to " + certificate.getNotAfter().toInstant()));
            }
        }
        if (!anchors.trusts(chain)) {
            return Optional.of(new TlsFailure(ResultType.CERTIFICATE_NOT_TRUSTED, "certificate of "
                + chain.get(0).getSubjectX500Principal().getName() + " is not issued by " + anchors));
        }
        List<String> wanted = referenceNames.stream().map(name -> name.equals(HOSTNAME) ? normalized(hostName) : name).toList();
        List<String> presented = presentedNames(chain.get(0));
        List<InetAddress> addresses = presentedAddresses(chain.get(0));
        for (String reference : wanted) {
            Optional<InetAddress> address = address(reference);
            if (address.isPresent() ? addresses.contains(address.get()) : presented.stream().anyMatch(name -> matches(name, reference))) {
                return Optional.empty();
            }
        }
        return Optional.of(new TlsFailure(ResultType.CERTIFICATE_HOST_MISMATCH, "certificate names " + presented
            + ", none of " + wanted));
    }

    @Override
    public String toString() {
        return "WebPKI (" + anchors + ") names " + referenceNames;
    }

    /** The DNS names of the subjectAltName; the subject's common names only when there is none (RFC 6125 6.4.4). */
    static List<String> presentedNames(X509Certificate certificate) {
        List<String> names = alternativeNames(certificate, DNS_NAME).stream().map(WebPkiCheck::normalized).toList();
        if (!names.isEmpty()) {
            return names;
        }
        try {
            return new LdapName(certificate.getSubjectX500Principal().getName()).getRdns().stream()
                .filter(rdn -> rdn.getType().equalsIgnoreCase("CN")).map(rdn -> normalized(String.valueOf(rdn.getValue()))).toList();
        } catch (InvalidNameException e) {
            return List.of();
        }
    }

    /** The iPAddress entries of the subjectAltName, for a host given as an address literal (a smart host). */
    static List<InetAddress> presentedAddresses(X509Certificate certificate) {
        return alternativeNames(certificate, IP_ADDRESS).stream().flatMap(literal -> address(literal).stream()).toList();
    }

    private static List<String> alternativeNames(X509Certificate certificate, int type) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> alternative : alternatives) {
                    if (alternative.size() == 2 && Integer.valueOf(type).equals(alternative.get(0))) {
                        names.add(String.valueOf(alternative.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return List.of();
        }
        return names;
    }

    /** The address an IPv4 or IPv6 literal stands for; empty for a name (never a DNS lookup). */
    private static Optional<InetAddress> address(String literal) {
        if (!IP_LITERAL.matcher(literal).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(literal));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /**
     * @param presented a name of the certificate, perhaps {@code *.example.com}
     * @param reference a host name, or {@code .example.com} for any name below example.com
     */
    static boolean matches(String presented, String reference) {
        boolean wildcard = presented.startsWith("*.") && presented.indexOf('.', 2) > 0;
        String rest = wildcard ? presented.substring(1) : null;
        if (reference.startsWith(".")) {
            return wildcard ? (rest.equals(reference) || rest.endsWith(reference)) : presented.endsWith(reference);
        }
        if (!wildcard) {
            return presented.equals(reference);
        }
        int dot = reference.indexOf('.');
        return dot > 0 && reference.substring(dot).equals(rest);
    }

    private static String normalized(String name) {
        String lower = name.trim().toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
