package io.sendonly.server.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.mail.BodyPart;
import javax.mail.Part;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.sendonly.dkim.DebianTools;
import io.sendonly.dkim.DkimRecord;
import io.sendonly.dkim.IndependentVerifiers;
import io.sendonly.dkim.TestKeys;
import io.sendonly.server.testing.Closer;
import io.sendonly.server.testing.OpendkimVerifier;
import io.sendonly.server.testing.RelayedServer;
import io.sendonly.server.testing.SmtpClient;
import io.sendonly.server.testing.SmtpSink;
import io.sendonly.server.testing.TestServer;
import io.sendonly.server.testing.TrickyMessages;
import io.sendonly.server.testing.TrickyMessages.Tricky;

/**
 * Every message of the corpus, submitted over SMTP, relayed through the real server to a sink with and without
 * 8BITMIME: each arrives exactly once, every line within 998 octets, its body 7-bit when the sink lacks 8BITMIME,
 * its DKIM signature verified independently (jDKIM; with the debian-tools profile also dkimpy, Mail::DKIM and
 * OpenDKIM's opendkim-testmsg), and its decoded parts what was submitted.
 */
class MessageCorpusIntegrationTest {
    private static final String RECORD_NAME = "mail._domainkey.example.com";

    @RegisterExtension
    final RelayedServer relayed = new RelayedServer(MessageCorpusIntegrationTest::configureDkim);

    @RegisterExtension
    final Closer closer = new Closer();

    @TempDir
    Path directory;

    private static String record;

    private static TestServer configureDkim(TestServer server) {
        try {
            KeyPair key = TestKeys.rsa(2048);
            Path dkim = server.conf("dkim");
            TestKeys.write(dkim.resolve("keys/mail.private"), key.getPrivate(), "rw-------");
            java.nio.file.Files.writeString(dkim.resolve("KeyTable"), "mail example.com:mail:keys/mail.private\n");
            java.nio.file.Files.writeString(dkim.resolve("SigningTable"), "*@example.com mail\n");
            record = DkimRecord.of(key.getPublic(), false, false);
            return server;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void toAHopWithEightBitMimeEveryMessageShouldArriveOnceSignedAndIntact() throws Exception {
        relayAndCheck(true);
    }

    @Test
    void toAHopWithoutEightBitMimeEveryMessageShouldArriveOnceSevenBitSignedAndIntact() throws Exception {
        relayed.sink().withoutEightBitMime();
        relayAndCheck(false);
    }

    private void relayAndCheck(boolean eightBitMime) throws Exception {
        List<Tricky> corpus = TrickyMessages.all(eightBitMime);
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(40);
        try (SmtpClient client = SmtpClient.connectForOctets(relayed.server().smtpPort())) {
            for (Tricky message : corpus) {
                client.send("app@example.com", "user@example.net", new String(message.octets(), StandardCharsets.ISO_8859_1));
            }
        }
        await().atMost(Duration.ofSeconds(180)).until(() -> relayed.sink().received().size() >= corpus.size());
        Map<String, List<SmtpSink.Received>> byId = relayed.sink().received().stream()
            .collect(Collectors.groupingBy(received -> String.valueOf(received.header("Message-ID"))));
        Optional<OpendkimVerifier> opendkim = DebianTools.promised()
            ? Optional.of(closer.register(OpendkimVerifier.start(Map.of(RECORD_NAME, record), directory))) : Optional.empty();
        List<String> problems = new ArrayList<>();
        for (Tricky message : corpus) {
            List<SmtpSink.Received> copies = byId.getOrDefault(message.messageId(), List.of());
            if (copies.size() != 1) {
                problems.add(message.name() + ": arrived " + copies.size() + " times");
                continue;
            }
            byte[] received = copies.get(0).data();
            problems.addAll(check(message, received, eightBitMime).stream().map(problem -> message.name() + ": " + problem).toList());
            if (opendkim.isPresent()) {
                opendkim.get().problem(received).ifPresent(problem -> problems.add(message.name() + ": opendkim: " + problem));
            }
        }
        assertThat(problems).isEmpty();
    }

    private static List<String> check(Tricky message, byte[] received, boolean eightBitMime) throws Exception {
        List<String> problems = new ArrayList<>();
        String text = new String(received, StandardCharsets.ISO_8859_1);
        if (text.split("\r\n").length > 0 && java.util.Arrays.stream(text.split("\r\n")).anyMatch(line -> line.length() > 998)) {
            problems.add("a line over 998 octets");
        }
        int bodyStart = text.indexOf("\r\n\r\n");
        if (!eightBitMime && text.substring(bodyStart).chars().anyMatch(c -> c > 127)) {
            problems.add("8-bit body to a hop without 8BITMIME");
        }
        for (IndependentVerifiers.Result result : IndependentVerifiers.verify(received, "example.com", Map.of(RECORD_NAME, record))) {
            if (!result.passed() && !result.couldNotJudge()) {
                problems.add(result.verifier() + " does not verify: " + result.output().strip());
            }
        }
        List<String> submitted = leaves(message.octets());
        List<String> delivered = leaves(received);
        if (!submitted.equals(delivered)) {
            problems.add("decoded parts differ:\n  submitted " + abbreviate(submitted) + "\n  delivered " + abbreviate(delivered));
        }
        return problems;
    }

    /** Each leaf part as type and decoded content, line ends and trailing line breaks aside, attached messages entered. */
    private static List<String> leaves(byte[] message) throws Exception {
        List<String> leaves = new ArrayList<>();
        collect(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(message)), leaves);
        return leaves;
    }

    private static void collect(Part part, List<String> leaves) throws Exception {
        if (part.isMimeType("multipart/*")) {
            MimeMultipart multipart = new MimeMultipart(part.getDataHandler().getDataSource());
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                collect(child, leaves);
            }
        } else if (part.isMimeType("message/rfc822")) {
            collect(new MimeMessage(Session.getInstance(new Properties()), part.getInputStream()), leaves);
        } else {
            String content = new String(part.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            Function<String, String> lineEnds = value -> value.replace("\r\n", "\n").replaceAll("\n+$", "");
            leaves.add(part.getContentType().split(";")[0].trim().toLowerCase() + ": " + lineEnds.apply(content));
        }
    }

    private static String abbreviate(List<String> leaves) {
        return leaves.stream().map(leaf -> leaf.length() > 120 ? leaf.substring(0, 120) + "...(" + leaf.length() + ")" : leaf).toList().toString();
    }
}
