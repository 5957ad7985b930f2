package io.sendonly.server.accept;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.google.common.net.InetAddresses;

import io.sendonly.server.testing.Messages;
import io.sendonly.server.testing.RelayedServer;
import io.sendonly.server.testing.SmtpSink;
import io.sendonly.server.testing.SmtpTranscript;

/**
 * Bare LF is normalised for trusted clients and refused from others, and no SMTP smuggling sequence ends a message
 * for anyone (https://sec-consult.com/blog/detail/smtp-smuggling-spoofing-e-mails-worldwide/).
 */
class BareNewlineIntegrationTest {
    private static final String SENDER = "app@example.com";
    private static final String RECIPIENT = "user@example.net";
    private static final String USER = "webapp";
    private static final String PASSWORD = "s3cret-submission";
    private static final Pattern BARE_LF = Pattern.compile("(^|[^\r])\n");
    private static final InetAddress TRUSTED = InetAddresses.forString("127.0.0.1");
    private static final InetAddress UNTRUSTED = InetAddresses.forString("127.0.0.9");
    private static final String SMUGGLED = "MAIL FROM:<evil@example.com>\r\nRCPT TO:<victim@example.net>\r\nDATA\r\n"
        + Messages.simple(Messages.newMessageId(), "evil@example.com", "victim@example.net", "smuggled", "smuggled body\r\n");

    @RegisterExtension
    final RelayedServer relayed = new RelayedServer(server -> server.trustedHosts("127.0.0.1/32\n"));

    static Stream<Arguments> smugglingSequences() {
        return Stream.of(
            Arguments.of("<LF>.<LF>", "\n.\n"),
            Arguments.of("<CR>.<CR>", "\r.\r"),
            Arguments.of("<LF>.<CR><LF>", "\n.\r\n"),
            Arguments.of("<CR><LF>.<LF>", "\r\n.\n"),
            Arguments.of("<CR><LF>.<CR>", "\r\n.\r"),
            Arguments.of("<CR>.<CR><LF>", "\r.\r\n"),
            Arguments.of("<CR>.<LF>", "\r.\n"),
            Arguments.of("<LF>.<CR>", "\n.\r"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smugglingSequences")
    void aSmuggledMessageFromATrustedClientShouldStayInsideTheFirstOne(String name, String sequence) throws Exception {
        try (SmtpTranscript smtp = SmtpTranscript.greeted(relayed.server().smtpPort(), TRUSTED)) {
            smuggle(smtp, sequence).expect("250");
            smtp.send("QUIT").expect("221");
        }

        List<SmtpSink.Received> received = receivedUpToMarker();
        assertThat(received).extracting(message -> message.header("Subject")).containsExactlyInAnyOrder("first", "marker");
        assertThat(received).filteredOn(message -> "first".equals(message.header("Subject"))).singleElement()
            .satisfies(first -> assertThat(first.body()).contains("evil@example.com"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smugglingSequences")
    void aSmuggledMessageFromAnAuthenticatedClientShouldNeverBeDelivered(String name, String sequence) throws Exception {
        createUser();
        try (SmtpTranscript smtp = SmtpTranscript.greeted(relayed.server().smtpPort(), UNTRUSTED).startTls()) {
            assertThat(smtp.authPlain(USER, PASSWORD)).startsWith("235");
            smuggle(smtp, sequence);
            if (BARE_LF.matcher(sequence).find()) {
                smtp.expect("500 5.0.0");
                assertThat(smtp.closedByServer()).isTrue();
            } else {
                smtp.expect("250");
                smtp.send("QUIT").expect("221");
            }
        }

        assertThat(receivedUpToMarker()).extracting(message -> message.header("Subject")).doesNotContain("smuggled");
    }

    @Test
    void bareLfFromATrustedClientShouldBeTakenAsCrLf() throws Exception {
        try (SmtpTranscript smtp = SmtpTranscript.greeted(relayed.server().smtpPort(), TRUSTED)) {
            smtp.transaction(SENDER, RECIPIENT, message("bare", "line one\r\nline two\r\n").replace("\r\n", "\n") + "\r\n").expect("250");
        }

        SmtpSink.Received received = receivedUpToMarker().stream().filter(message -> "bare".equals(message.header("Subject")))
            .findFirst().orElseThrow();
        assertThat(received.body()).startsWith("line one\r\nline two\r\n");
        assertThat(received.text().replace("\r\n", "")).doesNotContain("\n");
    }

    @Test
    void bareLfFromAnAuthenticatedClientShouldBeRefused() throws Exception {
        createUser();
        try (SmtpTranscript smtp = SmtpTranscript.greeted(relayed.server().smtpPort(), UNTRUSTED).startTls()) {
            assertThat(smtp.authPlain(USER, PASSWORD)).startsWith("235");
            smtp.transaction(SENDER, RECIPIENT, message("bare", "line one\nline two\r\n")).expect("500 5.0.0");
            assertThat(smtp.closedByServer()).isTrue();
        }

        assertThat(receivedUpToMarker()).extracting(message -> message.header("Subject")).containsExactly("marker");
    }

    /** A message whose body holds {@code sequence} and then a whole second transaction; its reply is left to read. */
    private static SmtpTranscript smuggle(SmtpTranscript smtp, String sequence) throws Exception {
        smtp.send("MAIL FROM:<" + SENDER + ">").expect("250");
        smtp.send("RCPT TO:<" + RECIPIENT + ">").expect("250");
        smtp.send("DATA").expect("354");
        return smtp.sendRaw(message("first", "first body") + sequence + SMUGGLED + "\r\n.\r\n");
    }

    /**
     * What the sink received once a marker message sent afterwards arrived: anything queued by the test before
     * the marker has been delivered too.
     */
    private List<SmtpSink.Received> receivedUpToMarker() throws Exception {
        try (SmtpTranscript smtp = SmtpTranscript.greeted(relayed.server().smtpPort(), TRUSTED)) {
            smtp.transaction(SENDER, RECIPIENT, message("marker", "marker\r\n")).expect("250");
        }
        await().atMost(Duration.ofSeconds(60))
            .until(() -> relayed.sink().received().stream().anyMatch(message -> "marker".equals(message.header("Subject"))));
        return relayed.sink().received();
    }

    private static String message(String subject, String body) {
        return Messages.simple(Messages.newMessageId(), SENDER, RECIPIENT, subject, body);
    }

    private void createUser() throws Exception {
        assertThat(relayed.webAdmin().put("/users/" + USER, "{\"password\":\"" + PASSWORD + "\"}").statusCode()).isEqualTo(204);
    }
}
