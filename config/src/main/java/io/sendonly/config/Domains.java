package io.sendonly.config;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Domain and host names as our files and APIs take them (RFC 1035 labels: letters, digits and inner hyphens, at most
 * 63 characters). A mail domain has at least two labels and an alphabetic top-level one; a host name may be one
 * label ({@code localhost}) and end with a dot. Messages start with the field's name.
 */
public final class Domains {
    private static final String LABEL = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
    private static final Pattern LABEL_PATTERN = Pattern.compile(LABEL);
    private static final Pattern DOMAIN = Pattern.compile("(" + LABEL + "\\.)+[a-z]{2,63}");
    private static final Pattern HOST_NAME = Pattern.compile(LABEL + "(\\." + LABEL + ")*\\.?");

    private Domains() {
    }

    /** A mail domain, e.g. {@code example.com}, in any case. */
    public static boolean isDomain(String value) {
        return DOMAIN.matcher(lowerCase(value)).matches();
    }

    /** One DNS label, e.g. a DKIM selector, in any case. */
    public static boolean isLabel(String value) {
        return LABEL_PATTERN.matcher(lowerCase(value)).matches();
    }

    /** A host name as a resolver takes it, e.g. {@code localhost} or {@code mx.example.com.}, in any case. */
    public static boolean isHostName(String value) {
        return HOST_NAME.matcher(lowerCase(value)).matches();
    }

    /** @return the domain in lower case, as it is compared and written */
    public static String domain(String field, String value) {
        if (!isDomain(value)) {
            throw new IllegalArgumentException(field + ": '" + value + "': expected a domain name, e.g. example.com");
        }
        return lowerCase(value);
    }

    /** A domain, or {@code .domain} for its subdomains (Postfix's notation); in lower case. */
    public static String domainOrSubdomains(String field, String value) {
        if (!isDomain(value.startsWith(".") ? value.substring(1) : value)) {
            throw new IllegalArgumentException(field + ": '" + value + "': expected example.org, or .example.org for its subdomains");
        }
        return lowerCase(value);
    }

    /**
     * The entry of {@code table} for {@code domain}: its own, else the nearest {@code .parent} one (Postfix's
     * notation for subdomains); keys in lower case.
     */
    public static <T> Optional<T> mostSpecific(Map<String, T> table, String domain) {
        String normalized = lowerCase(domain);
        T exact = table.get(normalized);
        if (exact != null) {
            return Optional.of(exact);
        }
        for (int dot = normalized.indexOf('.'); dot >= 0; dot = normalized.indexOf('.', dot + 1)) {
            T parent = table.get(normalized.substring(dot));
            if (parent != null) {
                return Optional.of(parent);
            }
        }
        return Optional.empty();
    }

    private static String lowerCase(String value) {
        return value.toLowerCase(Locale.ROOT);
    }
}
