package io.sendonly.server.accept;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sendonly.config.TableFile;
import io.sendonly.dkim.TestKeys;
import io.sendonly.events.EventType;
import io.sendonly.events.MessageEvent;
import io.sendonly.sendmail.MaildropRecord;
import io.sendonly.server.testing.LogCapture;
import io.sendonly.server.testing.Messages;
import io.sendonly.server.testing.RelayedServer;
import io.sendonly.server.testing.SendmailCommand;
import io.sendonly.server.testing.SmtpClient;
import io.sendonly.server.testing.TestServer;

/**
 * The From-alignment guard of the real server over real SMTP. One key, d=example.com, signs example.com and
 * news.example.com; the key for a.co.uk signs as d=b.co.uk, across a public suffix; nokey.test has no key.
 */
class FromAlignmentIntegrationTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String RECIPIENT = "user@example.net";

    private static TestServer configure(TestServer server, String mode) {
        try {
            Path dkim = server.conf("dkim");
            TestKeys.write(dkim.resolve("keys/mail.private"), TestKeys.rsa(2048).getPrivate(), "rw-------");
            Files.writeString(dkim.resolve("KeyTable"), "mail example.com:mail:keys/mail.private\nuk b.co.uk:mail:keys/mail.private\n");
            Files.writeString(dkim.resolve("SigningTable"), "*@example.com mail\n*@news.example.com mail\n*@a.co.uk uk\n");
            return server.smtpServerXml(xml -> xml.set("//handler[@class='" + CheckFromAlignment.class.getName() + "']/mode", mode));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String message(String from, String subject) {
        return Messages.simple(Messages.newMessageId(), from, RECIPIENT, subject, "body\r\n");
    }

    @Nested
    class InLogMode {
        @RegisterExtension
        final RelayedServer relayed = new RelayedServer(server -> configure(server, "log"));

        @RegisterExtension
        final LogCapture log = new LogCapture();

        @ParameterizedTest(name = "From {1}, envelope {0}")
        @CsvSource({
            "bounces@other.test, app@example.com",
            "bounces@mail.nokey.test, app@nokey.test",
        })
        void alignedFromShouldBeAcceptedWithoutEventOrWarning(String sender, String from) throws Exception {
            List<MessageEvent> unaligned = unalignedEvents(relayed);

            assertThat(send(sender, message(from, "aligned"))).isEqualTo(250);

            delivered("aligned");
            assertThat(unaligned).isEmpty();
            assertThat(log.text()).doesNotContain("cannot align with DMARC");
        }

        @Test
        void misalignedFromShouldBeAcceptedWithAWarningAndAnEventInTheTrace() throws Exception {
            String messageId = Messages.newMessageId();

            assertThat(send("app@other.test", Messages.simple(messageId, "app@nokey.test", RECIPIENT, "misaligned", "body\r\n"))).isEqualTo(250);

            delivered("misaligned");
            assertThat(log.text()).contains("WARN", " from <app@other.test> accepted, but receivers will likely file it as spam or reject it: "
                + "From domain nokey.test cannot align with DMARC: no DKIM key for it and the envelope sender app@other.test is another domain");
            String id = messageId.substring(1, messageId.length() - 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> trace(id).stream().anyMatch(event -> event.get("type").asText().equals("UNALIGNED")));
            JsonNode event = trace(id).stream().filter(node -> node.get("type").asText().equals("UNALIGNED")).findFirst().orElseThrow();
            assertThat(event.get("details").get("from").asText()).isEqualTo("nokey.test");
            assertThat(event.get("details").get("sender").asText()).isEqualTo("app@other.test");
            assertThat(event.get("details").get("action").asText()).isEqualTo("accepted");
            assertThat(event.get("details").get("client").asText()).isEqualTo("127.0.0.1");
        }

        @Test
        void misalignedMaildropMailShouldBeQueuedWithAnEvent() throws Exception {
            List<MessageEvent> unaligned = unalignedEvents(relayed);
            int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            MaildropRecord record = new MaildropRecord(uid, "app@other.test", List.of(RECIPIENT),
                message("app@nokey.test", "dropped").getBytes(StandardCharsets.US_ASCII));
            Path maildrop = relayed.server().workingDirectory().resolve("var/maildrop");
            Files.move(Files.write(maildrop.resolve(".a.mail.tmp"), record.bytes()), maildrop.resolve("a.mail"));

            delivered("dropped");
            assertThat(unaligned).singleElement().satisfies(event -> {
                assertThat(event.details()).containsEntry("uid", String.valueOf(uid)).containsEntry("action", "accepted")
                    .containsEntry("from", "nokey.test");
                assertThat(event.queueId()).startsWith("maildrop-");
            });
        }

        private List<JsonNode> trace(String messageId) throws Exception {
            String body = relayed.webAdmin().get("/sendonly/messages?messageId=" + URLEncoder.encode(messageId, StandardCharsets.UTF_8)).body();
            List<JsonNode> events = new ArrayList<>();
            MAPPER.readTree(body).forEach(events::add);
            return events;
        }

        private int send(String sender, String message) throws Exception {
            return FromAlignmentIntegrationTest.send(relayed, sender, message);
        }

        private void delivered(String subject) {
            FromAlignmentIntegrationTest.delivered(relayed, subject);
        }
    }

    @Nested
    class InRefuseMode {
        @RegisterExtension
        final RelayedServer relayed = new RelayedServer(server -> configure(server, "refuse"));

        @RegisterExtension
        final LogCapture log = new LogCapture();

        @TempDir
        Path home;

        @Test
        void misalignedFromShouldBeRefusedSayingWhyWithAnEventAndNothingQueued() throws Exception {
            List<MessageEvent> unaligned = unalignedEvents(relayed);

            assertRefused("app@other.test", "app@nokey.test", "550 5.7.26 From domain nokey.test cannot align with DMARC: "
                + "no DKIM key for it and the envelope sender app@other.test is another domain");

            assertThat(unaligned).singleElement().satisfies(event -> assertThat(event.details()).containsEntry("action", "refused")
                .containsEntry("sender", "app@other.test").containsEntry("from", "nokey.test"));
            assertThat(relayed.webAdmin().get("/mailQueues/spool").body()).contains("\"size\":0");
            assertOnlyThisOneIsDelivered();
        }

        @Test
        void subdomainFromShouldAlignWithItsOrganizationalDomainKey() throws Exception {
            assertThat(send("app@other.test", message("app@news.example.com", "subdomain"))).isEqualTo(250);

            delivered("subdomain");
        }

        @Test
        void keyAcrossAPublicSuffixShouldNotAlign() throws Exception {
            assertRefused("app@b.co.uk", "app@a.co.uk", "550 5.7.26 From domain a.co.uk cannot align with DMARC: "
                + "its DKIM key is for another domain (d=b.co.uk) and the envelope sender app@b.co.uk is another domain");

            assertOnlyThisOneIsDelivered();
        }

        @Test
        void keyAddedToTheSigningTableShouldAlignTheNextMessage() throws Exception {
            assertThat(send("app@other.test", message("app@nokey.test", "before"))).isEqualTo(550);

            TableFile.write(relayed.server().conf("dkim/SigningTable"), List.of("*@example.com mail", "*@nokey.test later"));
            TableFile.write(relayed.server().conf("dkim/KeyTable"), List.of("mail example.com:mail:keys/mail.private",
                "later nokey.test:mail:keys/mail.private"));

            assertThat(send("app@other.test", message("app@nokey.test", "after"))).isEqualTo(250);
            delivered("after");
            assertThat(log.text().split("changed, loaded again", -1)).as("the guard and SignDkim share one lookup").hasSize(2);
            assertThat(relayed.sink().received().get(0).header("DKIM-Signature")).contains("d=nokey.test");
        }

        @Test
        void sendmailShouldExitWithEnoPermAndPrintTheRefusal() throws Exception {
            Files.createDirectories(home.resolve("var/maildrop"));

            SendmailCommand.Result run = SendmailCommand.at(home, relayed.server().smtpPort())
                .run("From: app@nokey.test\nSubject: x\n\nbody\n", RECIPIENT);

            assertThat(run.exitCode()).as(run.err()).isEqualTo(77);
            assertThat(run.err()).contains("550 5.7.26 From domain nokey.test cannot align with DMARC: "
                + "no DKIM key for it and the envelope sender tester@example.com is another domain");
            try (var spooled = Files.list(home.resolve("var/maildrop"))) {
                assertThat(spooled).isEmpty();
            }
        }

        private void assertRefused(String sender, String from, String reply) throws Exception {
            try (SmtpClient client = SmtpClient.connect(relayed.server().smtpPort())) {
                client.mailFrom(sender);
                client.rcptTo(RECIPIENT);

                assertThat(client.data(message(from, "refused"))).isEqualTo(550);
                assertThat(client.lastReply()).isEqualTo(reply);
            }
        }

        /** An aligned message after the refused one: once it is delivered, the refused one would have been too. */
        private void assertOnlyThisOneIsDelivered() throws Exception {
            assertThat(send("app@example.com", message("app@example.com", "aligned"))).isEqualTo(250);
            delivered("aligned");
            assertThat(relayed.sink().received()).extracting(received -> received.header("Subject")).containsExactly("aligned");
        }

        private int send(String sender, String message) throws Exception {
            return FromAlignmentIntegrationTest.send(relayed, sender, message);
        }

        private void delivered(String subject) {
            FromAlignmentIntegrationTest.delivered(relayed, subject);
        }
    }

    /** The UNALIGNED events the server publishes from now on. */
    private static List<MessageEvent> unalignedEvents(RelayedServer relayed) {
        List<MessageEvent> unaligned = new CopyOnWriteArrayList<>();
        relayed.server().events().subscribe(event -> {
            if (event.type() == EventType.UNALIGNED) {
                unaligned.add(event);
            }
        });
        return unaligned;
    }

    private static int send(RelayedServer relayed, String sender, String message) throws Exception {
        try (SmtpClient client = SmtpClient.connect(relayed.server().smtpPort())) {
            client.mailFrom(sender);
            client.rcptTo(RECIPIENT);
            return client.data(message);
        }
    }

    private static void delivered(RelayedServer relayed, String subject) {
        await().atMost(Duration.ofSeconds(60))
            .until(() -> relayed.sink().received().stream().map(received -> received.header("Subject")).anyMatch(subject::equals));
    }}
