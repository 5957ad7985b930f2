package io.sendonly.server.webadmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.apache.commons.lang3.exception.ExceptionUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sendonly.server.testing.TestServer;
import io.sendonly.server.testing.WebAdmin;

/**
 * Only the operator can use webadmin: another local user (no token) and a web page in a browser on the host (an
 * Origin, a text/plain body, a rebound Host name) can change nothing and read nothing but /healthcheck.
 */
class WebAdminAccessIntegrationTest {
    private static final String NETWORKS = "/sendonly/trustedNetworks";
    private static final List<String> PRIVATE_PATHS = List.of("/sendonly/routes", NETWORKS, "/sendonly/dkim/keys",
        "/sendonly/settings", "/users", "/domains", "/mailQueues", "/mailQueues/outgoing/mails",
        "/mailRepositories", "/tasks", "/no/such/path");

    @TempDir
    Path workingDirectory;

    private TestServer server;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void firstStartShouldMakeATokenOnlyTheServiceUserCanRead() throws Exception {
        server = TestServer.prepare(workingDirectory).start();

        Path token = workingDirectory.resolve("var/webadmin/token");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token.getParent()))).isEqualTo("rwx------");
        assertThat(Files.readString(token).trim()).hasSizeGreaterThanOrEqualTo(32);
    }

    @Test
    void withoutTheTokenEveryEndpointButHealthcheckShouldAnswer401() throws Exception {
        server = TestServer.prepare(workingDirectory).start();
        WebAdmin anonymous = WebAdmin.anonymous(server.webAdminPort());

        for (String path : PRIVATE_PATHS) {
            HttpResponse<String> answer = anonymous.get(path);
            assertThat(answer.statusCode()).as(path).isEqualTo(401);
            assertThat(answer.headers().firstValue("WWW-Authenticate")).as(path).hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
        }
        assertThat(anonymous.get("/healthcheck").statusCode()).isEqualTo(200);
        assertThat(server.webAdmin().get("/sendonly/routes").statusCode()).isEqualTo(200);
    }

    @Test
    void withoutTheTokenNothingShouldChange() throws Exception {
        server = TestServer.prepare(workingDirectory).start();
        String trustedHosts = Files.readString(server.conf("TrustedHosts"));
        WebAdmin anonymous = WebAdmin.anonymous(server.webAdminPort());

        assertThat(anonymous.post(NETWORKS, "{\"network\":\"0.0.0.0/0\"}").statusCode()).isEqualTo(401);
        assertThat(anonymous.put("/users/intruder", "{\"password\":\"secret secret\"}").statusCode()).isEqualTo(401);
        assertThat(anonymous.delete("/mailRepositories/var%2Fmail%2Ffailed/mails").statusCode()).isEqualTo(401);

        assertThat(Files.readString(server.conf("TrustedHosts"))).isEqualTo(trustedHosts);
        assertThat(server.webAdmin().get("/users").body()).doesNotContain("intruder");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer wrong", "Bearer ", "Basic b3BlcmF0b3I6c2VjcmV0", "bearer"})
    void aWrongCredentialShouldAnswer401(String authorization) throws Exception {
        server = TestServer.prepare(workingDirectory).start();
        WebAdmin anonymous = WebAdmin.anonymous(server.webAdminPort());

        assertThat(anonymous.send(anonymous.request("/sendonly/routes").header("Authorization", authorization)).statusCode())
            .isEqualTo(401);
    }

    @Test
    void theTokenShouldSurviveARestart() throws Exception {
        server = TestServer.prepare(workingDirectory).start();
        String token = Files.readString(workingDirectory.resolve("var/webadmin/token"));

        server.restart();

        assertThat(Files.readString(workingDirectory.resolve("var/webadmin/token"))).isEqualTo(token);
        assertThat(server.webAdmin().get("/sendonly/routes").statusCode()).isEqualTo(200);
    }

    @Test
    void aCrossOriginRequestShouldBeRefusedEvenWithTheTokenAndCarryNoCorsHeader() throws Exception {
        server = TestServer.prepare(workingDirectory).start();
        WebAdmin operator = server.webAdmin();
        String trustedHosts = Files.readString(server.conf("TrustedHosts"));

        HttpResponse<String> post = operator.send(operator.request(NETWORKS).header("Origin", "http://evil.example")
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"network\":\"0.0.0.0/0\"}")));
        HttpResponse<String> preflight = operator.send(operator.request(NETWORKS).header("Origin", "http://evil.example")
            .header("Access-Control-Request-Method", "POST").method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        HttpResponse<String> crossSiteGet = operator.send(operator.request("/sendonly/routes").header("Sec-Fetch-Site", "cross-site"));

        assertThat(post.statusCode()).isEqualTo(403);
        assertThat(post.body()).contains("Origin");
        assertThat(preflight.statusCode()).isEqualTo(403);
        assertThat(crossSiteGet.statusCode()).isEqualTo(403);
        for (HttpResponse<String> answer : List.of(post, preflight, crossSiteGet, operator.get("/sendonly/routes"),
            WebAdmin.anonymous(server.webAdminPort()).get("/healthcheck"))) {
            assertThat(answer.headers().map().keySet()).noneMatch(name -> name.toLowerCase().startsWith("access-control"));
        }
        assertThat(Files.readString(server.conf("TrustedHosts"))).isEqualTo(trustedHosts);
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"})
    void aBodyThatIsNotJsonShouldBeRefusedWith415(String contentType) throws Exception {
        server = TestServer.prepare(workingDirectory).start();
        WebAdmin operator = server.webAdmin();
        String trustedHosts = Files.readString(server.conf("TrustedHosts"));

        HttpResponse<String> answer = operator.send(operator.request(NETWORKS).header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString("{\"network\":\"0.0.0.0/0\"}")));

        assertThat(answer.statusCode()).isEqualTo(415);
        assertThat(answer.body()).contains("Content-Type");
        assertThat(Files.readString(server.conf("TrustedHosts"))).isEqualTo(trustedHosts);
    }

    @Test
    void aRequestForARebindableNameShouldBeRefusedAndItsAddressOrLocalhostServed() throws Exception {
        server = TestServer.prepare(workingDirectory).start();

        assertThat(statusWithHost("attacker.example:" + server.webAdminPort(), "/healthcheck")).isEqualTo(403);
        assertThat(statusWithHost("attacker.example", "/sendonly/routes")).isEqualTo(403);
        assertThat(statusWithHost("localhost:" + server.webAdminPort(), "/healthcheck")).isEqualTo(200);
        assertThat(statusWithHost("[::1]:" + server.webAdminPort(), "/healthcheck")).isEqualTo(200);
        assertThat(statusWithHost("127.0.0.1", "/healthcheck")).isEqualTo(200);
    }

    @Test
    void listedOriginsAndHostsShouldBeAllowed() throws Exception {
        server = TestServer.prepare(workingDirectory)
            .replaceInConf("webadmin.properties", "cors.origins=", "cors.origins=https://admin.example.com")
            .replaceInConf("webadmin.properties", "allowed.hosts=", "allowed.hosts=mail.example.com")
            .start();
        WebAdmin operator = server.webAdmin();

        HttpResponse<String> answer = operator.send(operator.request("/sendonly/routes").header("Origin", "https://admin.example.com"));

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://admin.example.com");
        assertThat(statusWithHost("mail.example.com:" + server.webAdminPort(), "/healthcheck")).isEqualTo(200);
    }

    @Test
    void authenticationNoneShouldServeWithoutToken() throws Exception {
        server = TestServer.prepare(workingDirectory)
            .replaceInConf("webadmin.properties", "authentication=token", "authentication=none").start();

        assertThat(WebAdmin.anonymous(server.webAdminPort()).get("/sendonly/routes").statusCode()).isEqualTo(200);
        assertThat(workingDirectory.resolve("var/webadmin/token")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"authentication=maybe", "jwt.enabled=true", "cors.enable=true", "cors.origins=*"})
    void anUnsupportedAccessSettingShouldStopStartUpNamingIt(String line) {
        server = TestServer.prepare(workingDirectory).replaceInConf("webadmin.properties", "enabled=true", "enabled=true\n" + line);

        Throwable failure = catchThrowable(server::start);

        assertThat(ExceptionUtils.getStackTrace(failure)).contains("webadmin.properties: " + line.substring(0, line.indexOf('=')));
    }

    @Test
    void aTokenOthersCanReadShouldStopStartUp() throws Exception {
        server = TestServer.prepare(workingDirectory).start();
        server.stop();
        Files.setPosixFilePermissions(workingDirectory.resolve("var/webadmin/token"), PosixFilePermissions.fromString("rw-r--r--"));

        Throwable failure = catchThrowable(server::start);

        assertThat(ExceptionUtils.getStackTrace(failure)).contains("var/webadmin/token").contains("chmod 600");
    }

    /** Over a raw socket: Java's HTTP client will not send a Host header of the caller's choice. */
    private int statusWithHost(String host, String path) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.webAdminPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }
}
