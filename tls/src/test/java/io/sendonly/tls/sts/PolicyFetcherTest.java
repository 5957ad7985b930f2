package io.sendonly.tls.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sendonly.server.testing.StsPolicyServer;
import io.sendonly.server.testing.TestCa;
import io.sendonly.tls.ResultType;
import io.sendonly.tls.TrustAnchors;

/** The policy fetch against a real HTTPS policy host on 127.0.0.1, its certificate from a test authority. */
class PolicyFetcherTest {
    private static final String DOMAIN = "example.test";
    private static final String HOST = StsPolicyServer.host(DOMAIN);
    private static final String POLICY = "version: STSv1\nmode: enforce\nmx: mx.example.test\nmax_age: 86400\n";
    private static final List<InetAddress> LOOPBACK = List.of(InetAddress.getLoopbackAddress());

    private static TestCa ca;
    private static StsPolicyServer server;
    private static SSLContext trustingTheTestCa;

    @BeforeAll
    static void startPolicyHost(@TempDir Path folder) throws Exception {
        ca = TestCa.create("MTA-STS test CA");
        server = StsPolicyServer.start(ca, InetAddress.getLoopbackAddress(), 0, DOMAIN);
        trustingTheTestCa = TrustAnchors.pem(ca.writeCertificate(folder.resolve("ca.pem"))).clientContext();
    }

    @AfterAll
    static void stopPolicyHost() throws Exception {
        server.close();
    }

    @BeforeEach
    void serveThePolicy() throws Exception {
        server.serve(DOMAIN, POLICY);
        server.present(ca.issue(HOST).serverContext());
    }

    @Test
    void fetchShouldGiveThePolicyOfAHostWhoseCertificateVerifies() throws Exception {
        assertThat(fetcher(trustingTheTestCa).fetch(HOST, LOOPBACK)).isEqualTo(POLICY);
    }

    @Test
    void fetchShouldRefuseACertificateForAnotherName() throws Exception {
        server.present(ca.issue("www." + DOMAIN).serverContext());

        assertFailure(trustingTheTestCa, ResultType.STS_WEBPKI_INVALID, "certificate invalid");
    }

    @Test
    void fetchShouldRefuseACertificateOfAnUntrustedAuthority() throws Exception {
        server.present(TestCa.create("Another CA").issue(HOST).serverContext());

        assertFailure(trustingTheTestCa, ResultType.STS_WEBPKI_INVALID, "certificate invalid");
    }

    @Test
    void fetchShouldTrustOnlyTheJdkAuthoritiesWithoutACaFile() throws Exception {
        assertFailure(TrustAnchors.jdk().clientContext(), ResultType.STS_WEBPKI_INVALID, "certificate invalid");
    }

    @Test
    void fetchShouldNotFollowARedirect() {
        server.answer(DOMAIN, 302, "text/plain", "");

        assertFailure(trustingTheTestCa, ResultType.STS_POLICY_FETCH_ERROR, "HTTP 302 (redirects are not followed)");
    }

    @Test
    void fetchShouldFailOnNotFound() {
        server.answer(DOMAIN, 404, "text/plain", "not here\n");

        assertFailure(trustingTheTestCa, ResultType.STS_POLICY_FETCH_ERROR, "HTTP 404");
    }

    @Test
    void fetchShouldRefuseAnotherMediaType() {
        server.answer(DOMAIN, 200, "text/html", "<html>" + POLICY + "</html>");

        assertFailure(trustingTheTestCa, ResultType.STS_POLICY_INVALID, "media type is 'text/html'");
    }

    @Test
    void fetchShouldTryTheNextAddressWhenOneDoesNotAnswer() throws Exception {
        // Nothing listens on 127.0.0.79: the connection is refused.
        assertThat(fetcher(trustingTheTestCa).fetch(HOST, List.of(InetAddress.getByName("127.0.0.79"), InetAddress.getLoopbackAddress())))
            .isEqualTo(POLICY);
    }

    @Test
    void fetchShouldGiveUpWhenTheHostHoldsTheConnectionPastTheTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            PolicyFetcher fetcher = new PolicyFetcher(trustingTheTestCa, silent.getLocalPort(), Duration.ofMillis(500));
            long start = System.nanoTime();

            assertThatThrownBy(() -> fetcher.fetch(HOST, LOOPBACK)).isInstanceOfSatisfying(PolicyUnavailable.class, e -> {
                assertThat(e.failure().type()).isEqualTo(ResultType.STS_POLICY_FETCH_ERROR);
                assertThat(e.failure().reason()).contains("no answer within");
            });
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void fetchShouldFailForANameThatTlsCannotCarry() {
        assertThatThrownBy(() -> fetcher(trustingTheTestCa).fetch("mta-sts.under_score.test", LOOPBACK))
            .isInstanceOfSatisfying(PolicyUnavailable.class, e -> {
                assertThat(e.failure().type()).isEqualTo(ResultType.STS_POLICY_FETCH_ERROR);
                assertThat(e.failure().reason()).contains("mta-sts.under_score.test is not a host name for TLS");
            });
    }

    @Test
    void fetchShouldFailWithoutAddress() {
        assertThatThrownBy(() -> fetcher(trustingTheTestCa).fetch(HOST, List.of()))
            .isInstanceOfSatisfying(PolicyUnavailable.class,
                e -> assertThat(e.failure().reason()).contains(HOST + " has no address"));
    }

    private static PolicyFetcher fetcher(SSLContext authorities) {
        return new PolicyFetcher(authorities, server.port(), Duration.ofSeconds(5));
    }

    private static void assertFailure(SSLContext authorities, ResultType type, String problem) {
        assertThatThrownBy(() -> fetcher(authorities).fetch(HOST, LOOPBACK)).isInstanceOfSatisfying(PolicyUnavailable.class, e -> {
            assertThat(e.failure().type()).isEqualTo(type);
            assertThat(e.failure().reason()).contains(problem).contains(HOST);
        });
    }
}
