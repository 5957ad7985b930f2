package io.sendonly.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.BindException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.sendonly.events.EventType;
import io.sendonly.events.MessageEvent;
import io.sendonly.server.testing.Closer;
import io.sendonly.server.testing.Dnsmasq;
import io.sendonly.server.testing.Messages;
import io.sendonly.server.testing.Prerequisites;
import io.sendonly.server.testing.SmtpClient;
import io.sendonly.server.testing.SmtpSink;
import io.sendonly.server.testing.StsPolicyServer;
import io.sendonly.server.testing.TestCa;
import io.sendonly.server.testing.TestServer;
import io.sendonly.server.testing.Unbound;

/**
 * DANE before MTA-STS (RFC 8461 section 2) end to end, as shipped ({@code tlsSecurityLevel} {@code dane}, MTA-STS on)
 * but for DNS and the MTA-STS authority: James resolves through unbound on 127.0.0.150:53. Both recipient domains
 * publish an MTA-STS policy in mode {@code enforce} whose {@code mx} allows neither's MX (policy host HTTPS on
 * 127.0.0.152:443, its authority trusted by {@code mtaStsCaFile}), and both have their MX on the one STARTTLS sink at
 * 127.0.0.151:25, whose self-signed certificate no authority vouches for:
 * <ul>
 * <li>{@code signed.test} is DNSSEC-signed and has {@code TLSA 3 1 1} of the sink's key: DANE decides, the mail goes;</li>
 * <li>{@code plain.test} is unsigned: its MTA-STS policy decides, the mail waits (4.7.5).</li>
 * </ul>
 * Needs root (ports 53, 443 and 25), unbound and ldnsutils ({@code .ci/run} installs them).
 */
class DaneOverMtaStsDeliveryTest {
    private static final String RESOLVER = "127.0.0.150";
    private static final String MX_ADDRESS = "127.0.0.151";
    private static final String POLICY_HOST_ADDRESS = "127.0.0.152";
    private static final String SIGNED = "signed.test";
    private static final String PLAIN = "plain.test";
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path workingDirectory;
    @TempDir
    Path folder;
    @RegisterExtension
    final Closer closer = new Closer();

    private final List<MessageEvent> events = new CopyOnWriteArrayList<>();
    private SmtpSink mx;
    private TestServer server;

    @BeforeEach
    void setUp() throws Exception {
        requireEnvironment(Prerequisites.isRoot(), "binding ports 53, 443 and 25 needs root");
        requireEnvironment(Unbound.installed(), "unbound or ldnsutils is not installed");
        TestCa.Issued mxCertificate = TestCa.create("DANE-EE self").issue("mx." + SIGNED, "mx." + PLAIN);
        String tlsa = "3 1 1 " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
            .digest(mxCertificate.certificate().getPublicKey().getEncoded()));
        try {
            closer.register(Unbound.on(RESOLVER)
                .zone(withMtaSts(Unbound.Zone.signed(SIGNED), SIGNED).tlsa("mx", 25, tlsa))
                .zone(withMtaSts(Unbound.Zone.unsigned(PLAIN), PLAIN))
                .start());
        } catch (Dnsmasq.PortTakenException e) {
            requireEnvironment(false, e.getMessage());
        }
        TestCa stsAuthority = TestCa.create("MTA-STS test CA");
        StsPolicyServer policyHost = closer.register(StsPolicyServer.start(stsAuthority, InetAddress.getByName(POLICY_HOST_ADDRESS),
            443, SIGNED, PLAIN));
        String policy = "version: STSv1\nmode: enforce\nmx: mx9.elsewhere.test\nmax_age: 86400\n";
        policyHost.serve(SIGNED, policy);
        policyHost.serve(PLAIN, policy);
        try {
            mx = closer.register(SmtpSink.startWithStartTls(InetAddress.getByName(MX_ADDRESS), 25, mxCertificate.serverContext()));
        } catch (BindException e) {
            requireEnvironment(false, "port 25 of " + MX_ADDRESS + " is taken: " + e);
        }

        server = closer.register(TestServer.prepare(workingDirectory)
            .dnsServer(RESOLVER)
            .delivery("mtaStsCaFile", stsAuthority.writeCertificate(folder.resolve("sts-ca.pem")).toString())
            .delivery("retrySchedule", "1s")
            .start());
        server.events().subscribe(events::add);
    }

    @Test
    void validatedTlsaRecordsShouldDeliverWhereTheEnforcedMtaStsPolicyAloneDefers() throws Exception {
        send("someone@" + PLAIN);
        await().atMost(DELIVERY_TIMEOUT).until(() -> deferred("someone@" + PLAIN).isPresent());
        assertThat(deferred("someone@" + PLAIN).orElseThrow().status()).contains("4.7.5");
        assertThat(mx.received()).as("the unsigned domain's MTA-STS policy keeps the mail from its MX").isEmpty();

        send("someone@" + SIGNED);

        await().atMost(DELIVERY_TIMEOUT).until(() -> !mx.received().isEmpty());
        SmtpSink.Received message = mx.received().get(0);
        assertThat(message.rcptTo()).containsExactly("someone@" + SIGNED);
        assertThat(message.tls()).isTrue();
        assertThat(deferred("someone@" + SIGNED)).isEmpty();
    }

    /** The domain's MX {@code mx.DOMAIN} on the sink, its {@code _mta-sts} record and policy host. */
    private static Unbound.Zone withMtaSts(Unbound.Zone zone, String domain) {
        return zone.mx("@", "mx." + domain + ".").a("mx", MX_ADDRESS)
            .record("_mta-sts IN TXT \"v=STSv1; id=2026113001;\"")
            .a(StsPolicyServer.host(domain) + ".", POLICY_HOST_ADDRESS);
    }

    private void send(String recipient) throws Exception {
        try (SmtpClient client = SmtpClient.connect(server.smtpPort())) {
            client.send("app@example.test", recipient,
                Messages.simple(Messages.newMessageId(), "app@example.test", recipient, "DANE over MTA-STS", "secure\r\n"));
        }
    }

    private Optional<MessageEvent> deferred(String recipient) {
        return events.stream().filter(event -> event.type() == EventType.DEFERRED && event.recipient().orElse("").equals(recipient))
            .findFirst();
    }

    private static void requireEnvironment(boolean condition, String problem) {
        Prerequisites.require(condition, "DaneOverMtaStsDeliveryTest cannot run here: it needs root, unbound and ldnsutils"
            + " (.ci/run installs them), and " + RESOLVER + ":53, " + POLICY_HOST_ADDRESS + ":443 and " + MX_ADDRESS
            + ":25 free. " + problem);
    }
}
