package io.sendonly.server.webadmin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.apache.james.metrics.dropwizard.DropWizardMetricFactory;
import org.apache.james.webadmin.PublicRoutes;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.WebAdminConfiguration;
import org.apache.james.webadmin.authentication.NoAuthenticationFilter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.codahale.metrics.MetricRegistry;

import spark.Service;

/**
 * {@link RequestGuard} and {@link TokenAuthenticationFilter} in the server that runs them, with one private and one
 * public route of their own, spoken to over a plain socket so that any Host, Origin or Authorization can be sent.
 */
class GuardedWebAdminServerTest {
    private static final String PRIVATE = "/probe";
    private static final String PUBLIC = "/healthcheck";

    /** A private route: what a request reaches once the filters let it through. */
    private static final class Probe implements Routes {
        @Override
        public String getBasePath() {
            return PRIVATE;
        }

        @Override
        public void define(Service service) {
            service.get(PRIVATE, (request, response) -> "{\"reached\":true}");
            service.post(PRIVATE, (request, response) -> "{\"reached\":true}");
        }
    }

    private static final class Health implements PublicRoutes {
        @Override
        public String getBasePath() {
            return PUBLIC;
        }

        @Override
        public void define(Service service) {
            service.get(PUBLIC, (request, response) -> "{\"healthy\":true}");
        }
    }

    private record Answer(int status, String head, String body) {
        boolean hasHeader(String name) {
            return head.toLowerCase(Locale.ROOT).contains("\r\n" + name.toLowerCase(Locale.ROOT) + ":");
        }
    }

    @TempDir
    Path home;

    private GuardedWebAdminServer server;
    private String token;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.destroy();
        }
    }

    @Test
    void aPrivateRouteShouldAnswer401WithoutTheTokenAndAPublicOneShouldNot() throws Exception {
        start(new WebAdminAccess(true, Set.of(), Set.of()));

        Answer refused = send("GET", PRIVATE, "127.0.0.1");

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.hasHeader("WWW-Authenticate")).isTrue();
        assertThat(refused.body()).doesNotContain("reached");
        assertThat(send("GET", PUBLIC, "127.0.0.1").status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer %s", "bearer %s", "BEARER   %s  "})
    void theTokenShouldBeTakenAsABearerCredentialInAnyCase(String authorization) throws Exception {
        start(new WebAdminAccess(true, Set.of(), Set.of()));

        Answer answer = send("GET", PRIVATE, "127.0.0.1", "Authorization: " + authorization.formatted(token));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("reached");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer wrong", "Basic %s", "%s", "Bearer", "Bearer %sx"})
    void anyOtherCredentialShouldAnswer401(String authorization) throws Exception {
        start(new WebAdminAccess(true, Set.of(), Set.of()));

        Answer answer = send("GET", PRIVATE, "127.0.0.1", "Authorization: " + authorization.formatted(token));

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.body()).contains("Authorization: expected 'Bearer' and the operator token");
    }

    @Test
    void withAuthenticationOffAPrivateRouteShouldBeServed() throws Exception {
        start(new WebAdminAccess(false, Set.of(), Set.of()));

        assertThat(send("GET", PRIVATE, "127.0.0.1").status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.1:8000", "localhost", "LOCALHOST:8000", "[::1]:8000", "mail.example.com"})
    void addressesLocalhostAndAllowedHostsShouldBeServed(String host) throws Exception {
        start(new WebAdminAccess(false, Set.of(), Set.of("mail.example.com")));

        assertThat(send("GET", PUBLIC, host).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"attacker.example", "attacker.example:8000", "localhost.attacker.example", "mail.example.com.evil"})
    void anyOtherHostShouldBeRefusedEvenOnAPublicRoute(String host) throws Exception {
        start(new WebAdminAccess(false, Set.of(), Set.of("mail.example.com")));

        Answer answer = send("GET", PUBLIC, host);

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.body()).contains("Host: ", "is not a name of this server");
    }

    @Test
    void aMalformedHostShouldAnswer400() throws Exception {
        start(new WebAdminAccess(false, Set.of(), Set.of()));

        assertThat(send("GET", PUBLIC, "[::1").status()).isEqualTo(400);
    }

    @Test
    void anUnlistedOriginShouldBeRefusedEvenWithTheTokenAndGetNoCorsHeader() throws Exception {
        start(new WebAdminAccess(true, Set.of("https://admin.example.com"), Set.of()));

        Answer answer = send("GET", PRIVATE, "127.0.0.1", "Authorization: Bearer " + token, "Origin: http://evil.example");

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.body()).contains("Origin: requests from web pages are refused");
        assertThat(answer.hasHeader("Access-Control-Allow-Origin")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"cross-site", "same-site"})
    void aCrossSiteFetchWithoutOriginShouldBeRefused(String fetchSite) throws Exception {
        start(new WebAdminAccess(false, Set.of(), Set.of()));

        assertThat(send("GET", PRIVATE, "127.0.0.1", "Sec-Fetch-Site: " + fetchSite).status()).isEqualTo(403);
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "same-origin"})
    void aRequestTypedByTheUserShouldBeServed(String fetchSite) throws Exception {
        start(new WebAdminAccess(false, Set.of(), Set.of()));

        assertThat(send("GET", PRIVATE, "127.0.0.1", "Sec-Fetch-Site: " + fetchSite).status()).isEqualTo(200);
    }

    @Test
    void aListedOriginShouldGetCorsHeadersForItselfAlone() throws Exception {
        start(new WebAdminAccess(true, Set.of("https://admin.example.com"), Set.of()));

        Answer answer = send("GET", PRIVATE, "127.0.0.1", "Authorization: Bearer " + token, "Origin: https://Admin.example.com");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.head()).contains("Access-Control-Allow-Origin: https://admin.example.com", "Vary: Origin");
    }

    @Test
    void aPreflightFromAListedOriginShouldAnswer204WithoutTheToken() throws Exception {
        start(new WebAdminAccess(true, Set.of("https://admin.example.com"), Set.of()));

        Answer answer = send("OPTIONS", PRIVATE, "127.0.0.1", "Origin: https://admin.example.com",
            "Access-Control-Request-Method: POST");

        assertThat(answer.status()).isEqualTo(204);
        assertThat(answer.head()).contains("Access-Control-Allow-Methods: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"})
    void aBodyThatIsNotJsonShouldAnswer415(String contentType) throws Exception {
        start(new WebAdminAccess(false, Set.of(), Set.of()));

        Answer answer = sendBody(PRIVATE, contentType, "{}");

        assertThat(answer.status()).isEqualTo(415);
        assertThat(answer.body()).contains("Content-Type: expected application/json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "Application/JSON; charset=utf-8"})
    void aJsonBodyShouldBeServed(String contentType) throws Exception {
        start(new WebAdminAccess(false, Set.of(), Set.of()));

        assertThat(sendBody(PRIVATE, contentType, "{}").status()).isEqualTo(200);
    }

    private void start(WebAdminAccess access) throws Exception {
        OperatorToken operatorToken = OperatorToken.loadOrCreate(home.resolve(OperatorToken.FILE));
        token = Files.readString(home.resolve(OperatorToken.FILE)).trim();
        server = new GuardedWebAdminServer(WebAdminConfiguration.TEST_CONFIGURATION, List.of(new Probe(), new Health()),
            access.authenticated() ? new TokenAuthenticationFilter(operatorToken) : new NoAuthenticationFilter(),
            access, new DropWizardMetricFactory(new MetricRegistry()), new ConfWriteLock(home.resolve(ConfWriteLock.FILE), ConfWriteLock.CONFIGURATION_ROUTES));
        server.start();
    }

    private Answer sendBody(String path, String contentType, String body) throws Exception {
        return send("POST", path, "127.0.0.1", "Content-Type: " + contentType, "Content-Length: " + body.length() + "\r\n\r\n" + body);
    }

    /** @param headers each one line; the last may carry the blank line and a body */
    private Answer send(String method, String path, String host, String... headers) throws Exception {
        StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        if (headers.length == 0 || !headers[headers.length - 1].contains("\r\n\r\n")) {
            request.append("\r\n");
        }
        try (Socket socket = new Socket("127.0.0.1", server.getPort().getValue())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            int end = answer.indexOf("\r\n\r\n");
            String head = end < 0 ? answer : answer.substring(0, end);
            return new Answer(Integer.parseInt(head.split(" ")[1]), head, end < 0 ? "" : answer.substring(end + 4));
        }
    }
}
