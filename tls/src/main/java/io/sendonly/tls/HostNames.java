package io.sendonly.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Whether a certificate names a host (RFC 6125 as RFC 7672 3.2.3 narrows it): its DNS subject alternative names, or
 * its subject's common name when it has none; a wildcard only as the whole leftmost label, standing for one label.
 */
final class HostNames {
    private static final int DNS_NAME = 2;

    private HostNames() {
    }

    static boolean named(X509Certificate certificate, String hostName) {
        String host = normal(hostName);
        return names(certificate).stream().map(HostNames::normal).anyMatch(name -> matches(name, host));
    }

    private static boolean matches(String name, String host) {
        if (name.startsWith("*.")) {
            int dot = host.indexOf('.');
            return dot > 0 && host.substring(dot + 1).equals(name.substring(2));
        }
        return name.equals(host);
    }

    private static List<String> names(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> alternative : alternatives) {
                    if (((Integer) alternative.get(0)) == DNS_NAME) {
                        names.add((String) alternative.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return List.of();
        }
        if (names.isEmpty()) {
            try {
                for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                    if (rdn.getType().equalsIgnoreCase("CN")) {
                        names.add(rdn.getValue().toString());
                    }
                }
            } catch (InvalidNameException e) {
                return List.of();
            }
        }
        return names;
    }

    private static String normal(String name) {
        String trimmed = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        return trimmed.toLowerCase(Locale.ROOT);
    }
}
