package io.sendonly.server.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.sendonly.dkim.DkimCorpus;
import io.sendonly.dkim.DkimRecord;
import io.sendonly.dkim.IndependentVerifiers;
import io.sendonly.dkim.TestKeys;
import io.sendonly.server.testing.Messages;
import io.sendonly.server.testing.RelayedServer;
import io.sendonly.server.testing.SmtpClient;
import io.sendonly.server.testing.SmtpSink;
import io.sendonly.server.testing.TestServer;

/**
 * Mail relayed by the real server, signed by table, captured by the sink and verified independently (IndependentVerifiers).
 * Three domains: example.com and example.org share one RSA key (the seed's one key for many domains),
 * example.net signs with RSA and Ed25519 (MultipleSignatures); news.example.com is signed only through SubDomains.
 */
class DkimSigningIntegrationTest {
    private static final Map<String, String> RECORDS = new HashMap<>();

    @RegisterExtension
    final RelayedServer relayed = new RelayedServer(DkimSigningIntegrationTest::configureDkim);

    private static TestServer configureDkim(TestServer server) {
        try {
            Path dkim = server.conf("dkim");
            KeyPair shared = TestKeys.rsa(2048);
            KeyPair netRsa = TestKeys.rsa(2048);
            KeyPair netEd = TestKeys.ed25519();
            TestKeys.write(dkim.resolve("keys/shared.private"), shared.getPrivate(), "rw-------");
            TestKeys.write(dkim.resolve("keys/net-rsa.private"), netRsa.getPrivate(), "rw-------");
            TestKeys.write(dkim.resolve("keys/net-ed.private"), netEd.getPrivate(), "rw-------");
            Files.writeString(dkim.resolve("KeyTable"), String.join("\n",
                "shared    %:mail:keys/shared.private",
                "net-rsa   example.net:rsa:keys/net-rsa.private",
                "net-ed    example.net:ed:keys/net-ed.private", ""));
            Files.writeString(dkim.resolve("SigningTable"), String.join("\n",
                "*@example.com   shared",
                "*@example.org   shared",
                "*@example.net   net-rsa",
                "*@example.net   net-ed", ""));
            RECORDS.put("mail._domainkey.example.com", DkimRecord.of(shared.getPublic(), false, false));
            RECORDS.put("mail._domainkey.example.org", DkimRecord.of(shared.getPublic(), false, false));
            RECORDS.put("rsa._domainkey.example.net", DkimRecord.of(netRsa.getPublic(), false, false));
            RECORDS.put("ed._domainkey.example.net", DkimRecord.of(netEd.getPublic(), false, false));
            return server.mailetContainerXml(xml -> xml
                .set("//mailet[@class='io.sendonly.sign.SignDkim']/subDomains", "true")
                .set("//mailet[@class='io.sendonly.sign.SignDkim']/multipleSignatures", "true"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void eachDomainShouldBeSignedWithItsKeyAndVerifyIndependently() throws Exception {
        send("app@example.com", "Shared key, first domain");
        send("billing@example.org", "Shared key, second domain");
        send("alerts@example.net", "Two signatures");
        send("news@news.example.com", "Subdomain");

        await().atMost(Duration.ofSeconds(60)).until(() -> relayed.sink().received().size() == 4);

        assertSignedBy(received("Shared key, first domain"), "example.com", List.of("d=example.com; s=mail"));
        assertSignedBy(received("Shared key, second domain"), "example.org", List.of("d=example.org; s=mail"));
        assertSignedBy(received("Two signatures"), "example.net", List.of("d=example.net; s=rsa", "d=example.net; s=ed"));
        assertSignedBy(received("Subdomain"), "example.com", List.of("d=example.com; s=mail"));
    }

    /** The awkward-message corpus, submitted over SMTP, relayed, captured: every one verifies. */
    @Test
    void corpusThroughTheServerShouldVerifyIndependently() throws Exception {
        Map<String, String> corpus = DkimCorpus.MESSAGES;
        try (SmtpClient client = SmtpClient.connect(relayed.server().smtpPort())) {
            for (String message : corpus.values()) {
                client.send("app@example.com", "user@example.net", message);
            }
        }

        await().atMost(Duration.ofSeconds(90)).until(() -> relayed.sink().received().size() == corpus.size());
        for (SmtpSink.Received message : relayed.sink().received()) {
            for (IndependentVerifiers.Result result : IndependentVerifiers.verify(message.data(), "example.com", RECORDS)) {
                assertThat(result.passed()).as(result.verifier() + "\n" + message.text() + "\n" + result.output()).isTrue();
            }
        }
    }

    @Test
    void senderWithoutTableEntryShouldBeRelayedUnsigned() throws Exception {
        send("someone@unsigned.test", "No entry");

        await().atMost(Duration.ofSeconds(60)).until(() -> relayed.sink().received().size() == 1);
        assertThat(relayed.sink().received().get(0).header("DKIM-Signature")).isNull();
    }

    @Test
    void messageWithSeveralFromHeadersShouldBeRefused() throws Exception {
        try (SmtpClient client = SmtpClient.connect(relayed.server().smtpPort())) {
            client.mailFrom("app@example.com");
            client.rcptTo("user@example.net");

            int code = client.data("From: app@example.com\r\nFrom: ceo@example.org\r\nSubject: two\r\n\r\nbody\r\n");

            assertThat(code).isEqualTo(550);
            assertThat(client.lastReply()).contains("5.6.0");
        }
        assertThat(relayed.webAdmin().get("/mailQueues/spool").body()).contains("\"size\":0");
    }

    private void send(String from, String subject) throws Exception {
        try (SmtpClient client = SmtpClient.connect(relayed.server().smtpPort())) {
            client.send(from, "user@example.net", Messages.simple(Messages.newMessageId(), "Sender <" + from + ">", "user@example.net",
                subject, "Grüße — signed body\r\n  with trailing spaces   \r\n"));
        }
    }

    private SmtpSink.Received received(String subject) {
        return relayed.sink().received().stream().filter(message -> subject.equals(message.header("Subject"))).findFirst().orElseThrow();
    }

    private static void assertSignedBy(SmtpSink.Received message, String domain, List<String> signers) throws Exception {
        String signatures = message.text().split("\r\n\r\n", 2)[0].replaceAll("\r\n[ \t]+", " ");
        for (String signer : signers) {
            assertThat(signatures).contains(signer);
        }
        for (IndependentVerifiers.Result result : IndependentVerifiers.verify(message.data(), domain, RECORDS)) {
            assertThat(result.passed()).as(result.verifier() + "\n" + message.text() + "\n" + result.output()).isTrue();
        }
    }
}
