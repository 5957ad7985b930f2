package io.sendonly.server.webadmin;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.commons.configuration2.Configuration;

import com.google.common.collect.ImmutableSet;

/**
 * Who may use webadmin, from {@code conf/webadmin.properties}, parsed once:
 * <ul>
 *   <li>{@code authentication}: {@code token} (default), every endpoint but {@code /healthcheck} needs
 *       {@code Authorization: Bearer} and the operator token of {@code var/webadmin/token}; {@code none} turns that
 *       off, with a WARN at every start;</li>
 *   <li>{@code cors.origins}: browser origins allowed to call webadmin (comma separated, e.g.
 *       {@code https://admin.example.com}); none by default, so a request with another {@code Origin} is refused;</li>
 *   <li>{@code allowed.hosts}: host names a client may put in {@code Host} besides IP addresses and
 *       {@code localhost} (DNS rebinding defence), e.g. {@code mail.example.com}.</li>
 * </ul>
 * James's {@code jwt.enabled} and {@code cors.enable} are refused: the token and {@code cors.origins} replace them.
 */
public record WebAdminAccess(boolean authenticated, Set<String> corsOrigins, Set<String> allowedHosts) {
    public static final String AUTHENTICATION = "authentication";
    public static final String CORS_ORIGINS = "cors.origins";
    public static final String ALLOWED_HOSTS = "allowed.hosts";
    private static final String JAMES_JWT = "jwt.enabled";
    private static final String JAMES_CORS = "cors.enable";

    public static WebAdminAccess from(Configuration properties) {
        String authentication = properties.getString(AUTHENTICATION, "token").trim();
        if (!authentication.equals("token") && !authentication.equals("none")) {
            throw new IllegalArgumentException("webadmin.properties: " + AUTHENTICATION + "=" + authentication
                + ": expected token or none");
        }
        if (properties.getBoolean(JAMES_JWT, false)) {
            throw new IllegalArgumentException("webadmin.properties: " + JAMES_JWT + "=true is not supported: webadmin "
                + "authenticates with the operator token (" + AUTHENTICATION + "=token)");
        }
        if (properties.getBoolean(JAMES_CORS, false)) {
            throw new IllegalArgumentException("webadmin.properties: " + JAMES_CORS + "=true is not supported: list the "
                + "allowed origins in " + CORS_ORIGINS);
        }
        return new WebAdminAccess(authentication.equals("token"), list(properties, CORS_ORIGINS), list(properties, ALLOWED_HOSTS));
    }

    private static Set<String> list(Configuration properties, String key) {
        // Commons Configuration splits on commas itself when a list handler is set, and not otherwise: join, then split.
        List<String> values = Arrays.stream(String.join(",", properties.getStringArray(key)).split(","))
            .map(String::trim).filter(value -> !value.isEmpty()).map(value -> value.toLowerCase(Locale.ROOT)).toList();
        for (String value : values) {
            if (value.equals("*") || value.chars().anyMatch(c -> c <= ' ')) {
                throw new IllegalArgumentException("webadmin.properties: " + key + ": '" + value
                    + "': expected a comma-separated list of names, no wildcard");
            }
        }
        return values.stream().collect(Collectors.collectingAndThen(Collectors.toList(), ImmutableSet::copyOf));
    }
}
