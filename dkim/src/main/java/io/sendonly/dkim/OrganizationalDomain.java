package io.sendonly.dkim;

import java.util.List;
import java.util.Locale;

import com.google.common.net.InternetDomainName;

/**
 * DMARC's relaxed identifier alignment (RFC 7489 §3.1.1, §3.2): two domains align when their organizational domains
 * are the same, the organizational domain being the name registered under a public suffix of the Public Suffix List
 * (Guava's copy, ICANN and private sections, as DMARC verifiers use it). A domain under no listed suffix follows the
 * list's default rule {@code *}: its last two labels.
 */
public final class OrganizationalDomain {
    private OrganizationalDomain() {
    }

    /** {@code news.example.co.uk} gives {@code example.co.uk}; a public suffix or a single label is its own. */
    public static String of(String domain) {
        String lower = domain.toLowerCase(Locale.ROOT);
        String normalized = lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
        if (!InternetDomainName.isValid(normalized)) {
            return normalized;
        }
        InternetDomainName name = InternetDomainName.from(normalized);
        if (name.isUnderPublicSuffix()) {
            return name.topPrivateDomain().toString();
        }
        if (name.isPublicSuffix()) {
            return name.toString();
        }
        List<String> labels = name.parts();
        return String.join(".", labels.subList(Math.max(0, labels.size() - 2), labels.size()));
    }

    /** Relaxed alignment: the same organizational domain. */
    public static boolean aligned(String first, String second) {
        return of(first).equals(of(second));
    }
}
