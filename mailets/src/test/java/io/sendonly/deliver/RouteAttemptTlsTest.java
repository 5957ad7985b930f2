package io.sendonly.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.apache.james.core.MailAddress;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.sendonly.deliver.RecipientResult.Outcome;
import io.sendonly.dkim.DebianTools;
import io.sendonly.events.Events;
import io.sendonly.route.RouteTable.Route;
import io.sendonly.server.testing.SmtpSink;
import io.sendonly.server.testing.TestCa;
import io.sendonly.tls.DaneRecords;
import io.sendonly.tls.PeerCheck;
import io.sendonly.tls.PolicyType;
import io.sendonly.tls.ResultType;
import io.sendonly.tls.StsLookup;
import io.sendonly.tls.StsPolicies;
import io.sendonly.tls.StsPolicy;
import io.sendonly.tls.TlsFailure;
import io.sendonly.tls.TlsPolicyTable;
import io.sendonly.tls.TlsResult;
import io.sendonly.tls.TlsaLookup;

/**
 * Direct delivery's TLS against real SMTP on port 25 of two loopback addresses (the MX hosts mx1.tls.test at
 * 127.0.0.65 and mx2.tls.test at 127.0.0.66, both offering STARTTLS with a certificate of a test authority the JDK
 * does not trust), with MTA-STS policies and DANE answers given by the test: what is delivered, what waits with which
 * status, and the TLS-RPT result of each negotiation. Needs root (port 25).
 */
class RouteAttemptTlsTest {
    private static final String DOMAIN = "tls.test";
    private static final String MX1 = "mx1.tls.test";
    private static final String MX2 = "mx2.tls.test";
    private static final Map<String, String> ADDRESSES = Map.of(MX1, "127.0.0.65", MX2, "127.0.0.66");
    private static final byte[] MESSAGE = "From: app@example.com\r\nSubject: tls\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final TlsaLookup.Usable TLSA = new TlsaLookup.Usable(List.of(new TlsaLookup.Tlsa(3, 1, 1, new byte[32])),
        List.of("3 1 1 0000"));

    private static SSLContext certificate;

    private final List<TlsResult> results = new CopyOnWriteArrayList<>();
    private SmtpSink mx1;
    private SmtpSink mx2;

    @BeforeAll
    static void authority() throws Exception {
        certificate = TestCa.create("untrusted test CA").issue(MX1, MX2).serverContext();
    }

    @BeforeEach
    void startMxHosts() throws Exception {
        DebianTools.require(isRoot(), "RouteAttemptTlsTest binds port 25 of 127.0.0.65 and 127.0.0.66: it needs root");
        mx1 = SmtpSink.startWithStartTls(InetAddress.getByName(ADDRESSES.get(MX1)), 25, certificate);
        mx2 = SmtpSink.startWithStartTls(InetAddress.getByName(ADDRESSES.get(MX2)), 25, certificate);
    }

    @AfterEach
    void stopMxHosts() throws Exception {
        for (SmtpSink sink : new SmtpSink[] {mx1, mx2}) {
            if (sink != null) {
                sink.close();
            }
        }
    }

    @Test
    void withoutPolicyShouldDeliverOverTlsAndRecordTheSuccess() throws Exception {
        RecipientResult result = deliver(attempt(StsPolicies.NONE, DaneRecords.NONE, Duration.ZERO));

        assertThat(result.outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(mx1.received()).singleElement().satisfies(received -> assertThat(received.tls()).isTrue());
        assertThat(results).containsExactly(new TlsResult(DOMAIN, PolicyType.NO_POLICY_FOUND, List.of(), MX1, "127.0.0.65",
            Optional.empty()));
    }

    @Test
    void enforcedMtaStsShouldSkipTheMxHostsItDoesNotAllowAndDeferNamingThePolicy() throws Exception {
        StsPolicy policy = policy(StsPolicy.Mode.ENFORCE, "mx9.tls.test");

        RecipientResult result = deliver(attempt(domain -> new StsLookup.Found(policy), DaneRecords.NONE, Duration.ZERO));

        assertThat(result.outcome()).isEqualTo(Outcome.DEFERRED);
        assertThat(result.status()).isEqualTo("4.7.5");
        assertThat(result.explanation()).contains("not allowed by the MTA-STS policy of tls.test");
        assertThat(mx1.connections() + mx2.connections()).isZero();
        assertThat(results).extracting(TlsResult::receivingMxHostname).containsExactly(MX1, MX2);
        assertThat(results).allSatisfy(recorded -> {
            assertThat(recorded.policyType()).isEqualTo(PolicyType.STS);
            assertThat(recorded.policyStrings()).isEqualTo(policy.lines());
            assertThat(recorded.failure()).map(TlsFailure::type).contains(ResultType.VALIDATION_FAILURE);
        });
    }

    @Test
    void enforcedMtaStsShouldDeferAnMxWhoseCertificateIsNotTrustedAndSendNothing() throws Exception {
        RecipientResult result = deliver(attempt(domain -> new StsLookup.Found(policy(StsPolicy.Mode.ENFORCE, "*.tls.test")),
            DaneRecords.NONE, Duration.ZERO));

        assertThat(result.outcome()).isEqualTo(Outcome.DEFERRED);
        assertThat(result.status()).isEqualTo("4.7.5");
        assertThat(mx1.received()).isEmpty();
        assertThat(mx2.received()).isEmpty();
        assertThat(results).extracting(recorded -> recorded.failure().map(TlsFailure::type).orElseThrow())
            .containsExactly(ResultType.CERTIFICATE_NOT_TRUSTED, ResultType.CERTIFICATE_NOT_TRUSTED);
    }

    @Test
    void testingMtaStsShouldDeliverAndRecordWhatEnforceWouldHaveRefused() throws Exception {
        RecipientResult result = deliver(attempt(domain -> new StsLookup.Found(policy(StsPolicy.Mode.TESTING, "*.tls.test")),
            DaneRecords.NONE, Duration.ZERO));

        assertThat(result.outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(mx1.received()).hasSize(1);
        assertThat(results).singleElement().satisfies(recorded -> {
            assertThat(recorded.policyType()).isEqualTo(PolicyType.STS);
            assertThat(recorded.failure()).map(TlsFailure::type).contains(ResultType.CERTIFICATE_NOT_TRUSTED);
        });
    }

    @Test
    void usableTlsaShouldHoldTheHostToTheDaneCheck() throws Exception {
        RecipientResult refused = deliver(attempt(StsPolicies.NONE, dane(TLSA), Duration.ZERO, failing()));

        assertThat(refused.outcome()).isEqualTo(Outcome.DEFERRED);
        assertThat(refused.status()).isEqualTo("4.7.5");
        assertThat(refused.explanation()).contains("dane 3 1 1 0000").contains("no TLSA record matches");
        assertThat(mx1.received()).isEmpty();
        assertThat(results).first().satisfies(recorded -> {
            assertThat(recorded.policyType()).isEqualTo(PolicyType.TLSA);
            assertThat(recorded.policyStrings()).containsExactly("3 1 1 0000");
        });

        results.clear();
        RecipientResult delivered = deliver(attempt(StsPolicies.NONE, dane(TLSA), Duration.ZERO, (chain, host) -> Optional.empty()));

        assertThat(delivered.outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(results).singleElement().satisfies(recorded -> assertThat(recorded.failure()).isEmpty());
    }

    @Test
    void aFailedTlsaLookupShouldKeepTheMailAwayFromTheHost() throws Exception {
        TlsFailure bogus = new TlsFailure(ResultType.DNSSEC_INVALID, "bogus TLSA answer");

        RecipientResult result = deliver(attempt(StsPolicies.NONE, dane(new TlsaLookup.Failed(bogus)), Duration.ZERO));

        assertThat(result.outcome()).isEqualTo(Outcome.DEFERRED);
        assertThat(result.status()).isEqualTo("4.7.5");
        assertThat(result.explanation()).contains("bogus TLSA answer");
        assertThat(mx1.connections() + mx2.connections()).isZero();
    }

    @Test
    void aCachedConnectionShouldServeOnlyTheRequirementItWasCheckedFor() throws Exception {
        ConnectionCache connections = new ConnectionCache(Duration.ofSeconds(30), Duration.ofSeconds(300));
        try (connections) {
            List<StsLookup> lookups = new ArrayList<>(List.of(new StsLookup.NotPublished(), new StsLookup.NotPublished(),
                new StsLookup.Found(policy(StsPolicy.Mode.TESTING, "*.tls.test"))));
            RouteAttempt attempt = attempt(domain -> lookups.remove(0), DaneRecords.NONE, connections, (chain, host) -> Optional.empty());

            deliver(attempt);
            deliver(attempt);
            deliver(attempt);
        }

        assertThat(mx1.received()).hasSize(3);
        assertThat(mx1.connections()).as("reused once for may, a new one for MTA-STS testing").isEqualTo(2);
    }

    @Test
    void aTlsErrorAfterTheHandshakeShouldBeNoSecondResultNorAPlainTextRetry() throws Exception {
        mx1.close();
        try (BrokenAfterHandshake broken = new BrokenAfterHandshake(InetAddress.getByName(ADDRESSES.get(MX1)), certificate)) {
            RecipientResult result = deliver(attempt(StsPolicies.NONE, DaneRecords.NONE, Duration.ZERO));

            assertThat(result.outcome()).as("delivered through mx2").isEqualTo(Outcome.DELIVERED);
            assertThat(broken.connections()).as("no clear-text retry after a handshake that succeeded").isEqualTo(1);
        }
        assertThat(results).filteredOn(recorded -> recorded.receivingMxHostname().equals(MX1))
            .as("one negotiation, one result").singleElement()
            .satisfies(recorded -> assertThat(recorded.failure()).isEmpty());
    }

    @Test
    void aTlsReportShouldGoDespiteAnEnforcedPolicyItFailsAndStayOutOfTheNextReport() throws Exception {
        RouteAttempt attempt = attempt(domain -> new StsLookup.Found(policy(StsPolicy.Mode.ENFORCE, "mx9.tls.test")),
            dane(new TlsaLookup.Failed(new TlsFailure(ResultType.DNSSEC_INVALID, "bogus TLSA answer"))), Duration.ZERO);

        RecipientResult result = deliver(attempt, true);

        assertThat(result.outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(mx1.received()).singleElement().satisfies(received -> assertThat(received.tls()).isTrue());
        assertThat(results).isEmpty();
    }

    private RecipientResult deliver(RouteAttempt attempt) throws Exception {
        return deliver(attempt, false);
    }

    private RecipientResult deliver(RouteAttempt attempt, boolean tlsReport) throws Exception {
        List<RecipientResult> delivered = attempt.deliver(Route.DIRECT, DOMAIN, "app@example.com", List.of(new MailAddress("user@tls.test")),
            MESSAGE, false, tlsReport, new DeliveryEvents(new Events(), Clock.systemUTC()).attempts(FakeMail.defaultFakeMail()));
        return delivered.get(0);
    }

    private RouteAttempt attempt(StsPolicies sts, DaneRecords dane, Duration cacheTime) throws Exception {
        return attempt(sts, dane, new ConnectionCache(cacheTime, cacheTime), failing());
    }

    private RouteAttempt attempt(StsPolicies sts, DaneRecords dane, Duration cacheTime, PeerCheck daneCheck) throws Exception {
        return attempt(sts, dane, new ConnectionCache(cacheTime, cacheTime), daneCheck);
    }

    private RouteAttempt attempt(StsPolicies sts, DaneRecords dane, ConnectionCache connections, PeerCheck daneCheck) throws Exception {
        DeliverySettings settings = DeliverySettings.from(FakeMailetConfig.builder()
            .setProperty(RouteDelivery.CONNECT_TIMEOUT, "2s")
            .setProperty(RouteDelivery.TIMEOUT, "5s")
            .build(), "client.test");
        return new RouteAttempt(settings, new MxHosts(), TlsPolicyTable::empty, sts, dane, usable -> daneCheck, results::add,
            connections, Clock.systemUTC());
    }

    private static PeerCheck failing() {
        return (chain, host) -> Optional.of(new TlsFailure(ResultType.VALIDATION_FAILURE, "no TLSA record matches"));
    }

    private static DaneRecords dane(TlsaLookup lookup) {
        return new DaneRecords() {
            @Override
            public boolean mxSecure(String domain) {
                return true;
            }

            @Override
            public TlsaLookup tlsa(String host, int port) {
                return lookup;
            }
        };
    }

    private static StsPolicy policy(StsPolicy.Mode mode, String mx) {
        return new StsPolicy(DOMAIN, mode, List.of(mx), Duration.ofDays(1), "1", List.of("version: STSv1",
            "mode: " + mode.name().toLowerCase(), "mx: " + mx, "max_age: 86400"));
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /**
     * An MX host on port 25 that completes the STARTTLS handshake, then answers the next command with a record that does
     * not decrypt; it counts the connections it accepts.
     */
    private static final class BrokenAfterHandshake implements AutoCloseable {
        /** An application data record of TLS 1.2 and 1.3 whose 32 bytes no key decrypts: a bad_record_mac. */
        private static final byte[] FORGED_RECORD = new byte[5 + 32];

        static {
            System.arraycopy(new byte[] {0x17, 0x03, 0x03, 0x00, 0x20}, 0, FORGED_RECORD, 0, 5);
        }

        private final ServerSocket server;
        private final Thread thread;
        private final AtomicInteger connections = new AtomicInteger();

        BrokenAfterHandshake(InetAddress address, SSLContext tls) throws IOException {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(address, 25));
            thread = new Thread(() -> serve(tls), "broken-after-handshake");
            thread.start();
        }

        int connections() {
            return connections.get();
        }

        private void serve(SSLContext tls) {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    connections.incrementAndGet();
                    socket.setSoTimeout(5000);
                    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                    OutputStream out = socket.getOutputStream();
                    out.write("220 mx1.tls.test ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
                    in.readLine();
                    out.write("250-mx1.tls.test\r\n250 STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII));
                    in.readLine();
                    out.write("220 go ahead\r\n".getBytes(StandardCharsets.US_ASCII));
                    SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(socket, null, socket.getPort(), false);
                    secure.setUseClientMode(false);
                    secure.startHandshake();
                    out.write(FORGED_RECORD);
                    out.flush();
                    secure.getInputStream().read();
                } catch (IOException e) {
                    // the client went away or the server was closed: the next connection, if any
                }
            }
        }

        @Override
        public void close() throws IOException, InterruptedException {
            server.close();
            thread.join(10_000);
        }
    }

    /** tls.test's MX hosts, mx1 first, and their addresses. */
    private static final class MxHosts extends LiteralAddresses {
        @Override
        public Collection<String> findMXRecords(String hostname) {
            return hostname.equals(DOMAIN) ? List.of(MX1, MX2) : List.of();
        }

        @Override
        public Collection<InetAddress> getAllByName(String host) throws UnknownHostException {
            return super.getAllByName(ADDRESSES.getOrDefault(host, host));
        }
    }
}
