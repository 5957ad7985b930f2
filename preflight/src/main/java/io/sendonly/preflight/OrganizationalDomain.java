package io.sendonly.preflight;

import java.util.List;

import com.google.common.net.InternetDomainName;

/** The organisational domain of RFC 7489 3.2: the public suffix (Public Suffix List) and one label more. */
final class OrganizationalDomain {
    private OrganizationalDomain() {
    }

    static String of(String domain) {
        InternetDomainName name = InternetDomainName.from(domain);
        if (name.isUnderPublicSuffix()) {
            return name.topPrivateDomain().toString();
        }
        if (name.isPublicSuffix()) {
            return name.toString();
        }
        // The list's implicit rule "*": a top-level domain it does not name is a public suffix of one label.
        List<String> parts = name.parts();
        return String.join(".", parts.subList(Math.max(0, parts.size() - 2), parts.size()));
    }

    /** Relaxed alignment: the same organisational domain. */
    static boolean aligned(String a, String b) {
        return of(a).equalsIgnoreCase(of(b));
    }
}
