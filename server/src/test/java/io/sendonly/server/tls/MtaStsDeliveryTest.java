package io.sendonly.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.BindException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sendonly.events.BounceClass;
import io.sendonly.events.EventType;
import io.sendonly.events.MessageEvent;
import io.sendonly.server.testing.Closer;
import io.sendonly.server.testing.Dnsmasq;
import io.sendonly.server.testing.LogCapture;
import io.sendonly.server.testing.Messages;
import io.sendonly.server.testing.Prerequisites;
import io.sendonly.server.testing.SmtpClient;
import io.sendonly.server.testing.SmtpSink;
import io.sendonly.server.testing.StsPolicyServer;
import io.sendonly.server.testing.TestCa;
import io.sendonly.server.testing.TestServer;

/**
 * MTA-STS in direct delivery, as shipped but for DNS and the trusted authority: dnsmasq on 127.0.0.72 serves each
 * recipient domain's {@code _mta-sts} TXT record, MX and {@code mta-sts.DOMAIN} address; the policy host is HTTPS on
 * 127.0.0.73:443 with a certificate from a test authority, which {@code mtaStsCaFile} trusts. Two MX hosts offer
 * STARTTLS on port 25: {@code mx1.example.test} (127.0.0.74) with a certificate for its name, {@code mx2.example.test}
 * (127.0.0.75) with one for another name.
 *
 * <p>Needs root (ports 53, 443 and 25) and dnsmasq; {@code .ci/run} installs dnsmasq.
 */
class MtaStsDeliveryTest {
    private static final String DNS_ADDRESS = "127.0.0.72";
    private static final String POLICY_HOST_ADDRESS = "127.0.0.73";
    private static final String GOOD_MX_ADDRESS = "127.0.0.74";
    private static final String BAD_MX_ADDRESS = "127.0.0.75";
    /** MX mx1 (good certificate), policy allows *.example.test. */
    private static final String GOOD = "good.test";
    /** MX mx2 (certificate for another name), policy allows *.example.test. */
    private static final String BAD_CERTIFICATE = "badcert.test";
    /** MX mx1, policy allows only mx9.example.test. */
    private static final String NOT_LISTED = "notlisted.test";
    /** MX mx2, policy in mode testing. */
    private static final String TESTING = "testing.test";
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path workingDirectory;
    @TempDir
    Path folder;
    @RegisterExtension
    final LogCapture log = new LogCapture();
    @RegisterExtension
    final Closer closer = new Closer();

    private final List<MessageEvent> events = new CopyOnWriteArrayList<>();
    private Dnsmasq dns;
    private StsPolicyServer policyHost;
    private SmtpSink goodMx;
    private SmtpSink badMx;
    private TestServer server;

    @BeforeEach
    void setUp() throws Exception {
        requireEnvironment(Prerequisites.isRoot(), "binding ports 53, 443 and 25 needs root");
        requireEnvironment(Dnsmasq.executable().isPresent(), "dnsmasq is not installed");
        Dnsmasq.Builder zone = Dnsmasq.on(DNS_ADDRESS)
            .a("mx1.example.test", GOOD_MX_ADDRESS)
            .a("mx2.example.test", BAD_MX_ADDRESS)
            .mx(GOOD, "mx1.example.test")
            .mx(BAD_CERTIFICATE, "mx2.example.test")
            .mx(NOT_LISTED, "mx1.example.test")
            .mx(TESTING, "mx2.example.test")
            .mx("example.test", "mx1.example.test")
            .localDomain("test");
        for (String domain : List.of(GOOD, BAD_CERTIFICATE, NOT_LISTED, TESTING)) {
            zone.txt("_mta-sts." + domain, "v=STSv1; id=2026113001;").a(StsPolicyServer.host(domain), POLICY_HOST_ADDRESS);
        }
        try {
            dns = closer.register(zone.start());
        } catch (Dnsmasq.PortTakenException e) {
            requireEnvironment(false, e.getMessage());
        }
        TestCa ca = TestCa.create("MTA-STS test CA");
        policyHost = closer.register(StsPolicyServer.start(ca, InetAddress.getByName(POLICY_HOST_ADDRESS), 443,
            GOOD, BAD_CERTIFICATE, NOT_LISTED, TESTING));
        policyHost.serve(GOOD, policy("enforce", "*.example.test"));
        policyHost.serve(BAD_CERTIFICATE, policy("enforce", "*.example.test"));
        policyHost.serve(NOT_LISTED, policy("enforce", "mx9.example.test"));
        policyHost.serve(TESTING, policy("testing", "*.example.test"));
        try {
            goodMx = closer.register(SmtpSink.startWithStartTls(InetAddress.getByName(GOOD_MX_ADDRESS), 25,
                ca.issue("mx1.example.test").serverContext()));
            badMx = closer.register(SmtpSink.startWithStartTls(InetAddress.getByName(BAD_MX_ADDRESS), 25,
                ca.issue("other.example.test").serverContext()));
        } catch (BindException e) {
            requireEnvironment(false, "port 25 of " + GOOD_MX_ADDRESS + " or " + BAD_MX_ADDRESS + " is taken: " + e);
        }

        server = closer.register(TestServer.prepare(workingDirectory)
            .editXml("dnsservice.xml", xml -> xml
                .set("/dnsservice/autodiscover", "false")
                .set("/dnsservice/servers", "")
                .set("/dnsservice/servers/server", DNS_ADDRESS))
            .delivery("mtaStsCaFile", ca.writeCertificate(folder.resolve("sts-ca.pem")).toString())
            .delivery("retrySchedule", "1s")
            .start());
        server.events().subscribe(events::add);
    }

    @Test
    void enforceShouldDeliverToAnAllowedMxWithAValidCertificateOverTls() throws Exception {
        send("someone@" + GOOD);

        await().atMost(DELIVERY_TIMEOUT).until(() -> goodMx.received().size() == 1);
        SmtpSink.Received message = goodMx.received().get(0);
        assertThat(message.rcptTo()).containsExactly("someone@" + GOOD);
        assertThat(message.tls()).isTrue();
        assertThat(dns.log()).contains("query[TXT] _mta-sts." + GOOD, "query[A] mta-sts." + GOOD);
        assertThat(log.text()).contains("MTA-STS policy of " + GOOD + ": id 2026113001, mode enforce");
    }

    @Test
    void enforceShouldDeferWhenTheMxCertificateDoesNotNameIt() throws Exception {
        send("someone@" + BAD_CERTIFICATE);

        MessageEvent deferred = awaitDeferred("someone@" + BAD_CERTIFICATE);
        assertThat(deferred.status()).contains("4.7.5");
        assertThat(deferred.bounceClass()).contains(BounceClass.TLS);
        assertThat(badMx.connections()).as("the MX was tried: the handshake is where its certificate shows").isPositive();
        assertThat(badMx.received()).isEmpty();
    }

    @Test
    void enforceShouldDeferWhenTheMxIsNotInThePolicy() throws Exception {
        send("someone@" + NOT_LISTED);

        MessageEvent deferred = awaitDeferred("someone@" + NOT_LISTED);
        assertThat(deferred.status()).contains("4.7.5");
        assertThat(deferred.bounceClass()).contains(BounceClass.TLS);
        assertThat(goodMx.connections()).as("an MX the policy does not list is not even connected to").isZero();
    }

    @Test
    void testingShouldDeliverDespiteABadCertificateSaySoAndCountTheFailureForTlsRpt() throws Exception {
        send("someone@" + TESTING);

        await().atMost(DELIVERY_TIMEOUT).until(() -> badMx.received().size() == 1);
        assertThat(badMx.received().get(0).tls()).isTrue();
        assertThat(log.text()).contains("does not satisfy mta-sts testing id=2026113001, delivering as it is not enforced");
        JsonNode today = new ObjectMapper().readTree(server.webAdmin().get("/sendonly/tls-reports").body());
        assertThat(today.path("domains")).as(today.toString()).anySatisfy(domain -> {
            assertThat(domain.path("domain").asText()).isEqualTo(TESTING);
            assertThat(domain.path("failed").asLong()).isEqualTo(1);
            JsonNode policy = domain.path("policies").get(0);
            assertThat(policy.path("policyType").asText()).isEqualTo("sts");
            assertThat(policy.path("failures").get(0).path("resultType").asText()).isEqualTo("certificate-host-mismatch");
            assertThat(policy.path("failures").get(0).path("receivingMxHostname").asText()).isEqualTo("mx2.example.test");
        });
    }

    @Test
    void theCachedPolicyShouldStillBeEnforcedAfterARestartWithThePolicyHostDown() throws Exception {
        send("first@" + BAD_CERTIFICATE);
        awaitDeferred("first@" + BAD_CERTIFICATE);
        assertThat(workingDirectory.resolve("var/mta-sts/" + BAD_CERTIFICATE)).isRegularFile();
        policyHost.close();

        server.restart();
        server.events().subscribe(events::add);
        send("second@" + BAD_CERTIFICATE);

        MessageEvent deferred = awaitDeferred("second@" + BAD_CERTIFICATE);
        assertThat(deferred.status()).contains("4.7.5");
        assertThat(badMx.received()).isEmpty();
    }

    private void send(String recipient) throws Exception {
        try (SmtpClient client = SmtpClient.connect(server.smtpPort())) {
            client.send("app@example.test", recipient,
                Messages.simple(Messages.newMessageId(), "app@example.test", recipient, "MTA-STS", "secure\r\n"));
        }
    }

    private MessageEvent awaitDeferred(String recipient) {
        await().atMost(DELIVERY_TIMEOUT).until(() -> deferred(recipient).size() > 0);
        return deferred(recipient).get(0);
    }

    private List<MessageEvent> deferred(String recipient) {
        return events.stream().filter(event -> event.type() == EventType.DEFERRED && event.recipient().orElse("").equals(recipient))
            .toList();
    }

    private static String policy(String mode, String mx) {
        return "version: STSv1\nmode: " + mode + "\nmx: " + mx + "\nmax_age: 86400\n";
    }

    private static void requireEnvironment(boolean condition, String problem) {
        Prerequisites.require(condition, "MtaStsDeliveryTest cannot run here: it needs root, dnsmasq (.ci/run installs it), and "
            + DNS_ADDRESS + ":53, " + POLICY_HOST_ADDRESS + ":443, " + GOOD_MX_ADDRESS + ":25 and " + BAD_MX_ADDRESS + ":25 free. "
            + problem);
    }
}
