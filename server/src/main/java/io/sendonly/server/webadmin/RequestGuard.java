package io.sendonly.server.webadmin;

import java.util.Locale;
import java.util.Optional;

import org.apache.james.webadmin.utils.ErrorResponder;
import org.eclipse.jetty.http.HttpStatus;

import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;

import spark.Filter;
import spark.Request;
import spark.Response;

/**
 * What keeps browsers from driving webadmin, checked before anything else on every request:
 * <ul>
 *   <li>{@code Host} must be an IP address, {@code localhost} or a name of {@code allowed.hosts}: a page whose
 *       name was rebound to 127.0.0.1 is refused (403);</li>
 *   <li>a request from a browser page ({@code Origin}, or {@code Sec-Fetch-Site} other than {@code none} and
 *       {@code same-origin}) is refused unless its origin is in {@code cors.origins}, which alone gets CORS headers;</li>
 *   <li>a body must be {@code Content-Type: application/json} (415): browsers cannot send that cross-origin without a
 *       preflight, and a form body would be consumed before the routes read it.</li>
 * </ul>
 */
public class RequestGuard implements Filter {
    private static final String JSON = "application/json";

    private final WebAdminAccess access;

    public RequestGuard(WebAdminAccess access) {
        this.access = access;
    }

    @Override
    public void handle(Request request, Response response) {
        checkHost(request.headers("Host"));
        Optional<String> origin = Optional.ofNullable(request.headers("Origin")).map(value -> value.toLowerCase(Locale.ROOT));
        if (origin.isPresent() && access.corsOrigins().contains(origin.get())) {
            response.header("Access-Control-Allow-Origin", origin.get());
            response.header("Access-Control-Allow-Headers", "Authorization, Content-Type");
            response.header("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE");
            response.header("Vary", "Origin");
            if (request.requestMethod().equals("OPTIONS")) {
                throw halt(HttpStatus.NO_CONTENT_204, "");
            }
        } else if (origin.isPresent() || isCrossSite(request.headers("Sec-Fetch-Site"))) {
            throw refused(HttpStatus.FORBIDDEN_403, "Origin: requests from web pages are refused; list the origin in "
                + WebAdminAccess.CORS_ORIGINS + " of webadmin.properties to allow it");
        }
        if (hasBody(request) && !isJson(request.contentType())) {
            throw refused(HttpStatus.UNSUPPORTED_MEDIA_TYPE_415, "Content-Type: expected " + JSON + " (curl --json)");
        }
    }

    private void checkHost(String host) {
        if (host == null) {
            return; // HTTP/1.0: no browser sends a request without Host
        }
        String name;
        try {
            name = HostAndPort.fromString(host.trim()).getHost().toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw refused(HttpStatus.BAD_REQUEST_400, "Host: malformed");
        }
        if (!InetAddresses.isInetAddress(name) && !name.equals("localhost") && !access.allowedHosts().contains(name)) {
            throw refused(HttpStatus.FORBIDDEN_403, "Host: '" + name + "' is not a name of this server; add it to "
                + WebAdminAccess.ALLOWED_HOSTS + " of webadmin.properties");
        }
    }

    private static boolean isCrossSite(String fetchSite) {
        return fetchSite != null && !fetchSite.equals("none") && !fetchSite.equals("same-origin");
    }

    private static boolean hasBody(Request request) {
        return request.contentLength() > 0 || request.headers("Transfer-Encoding") != null;
    }

    private static boolean isJson(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).split(";")[0].trim().equals(JSON);
    }

    private static RuntimeException refused(int status, String message) {
        return ErrorResponder.builder().statusCode(status).type(ErrorResponder.ErrorType.INVALID_ARGUMENT).message(message).haltError();
    }

    private static RuntimeException halt(int status, String body) {
        return spark.Spark.halt(status, body);
    }
}
