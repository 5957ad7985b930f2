package io.sendonly.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.stream.Stream;

import javax.net.ssl.SSLHandshakeException;

import org.apache.james.core.MailAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.sendonly.deliver.RecipientResult.Outcome;
import io.sendonly.deliver.Trouble.HostRefused;
import io.sendonly.smtp.Reply;

/** Before a transaction, every cause defers every recipient; the status, remote MTA and diagnostic say which cause. */
class TroubleTest {
    private static final String HOST = "mx.example.net[192.0.2.1]:25";

    static Stream<Arguments> causes() {
        return Stream.of(
            cause("a refusal in 5xx, deferred in its 4xx form", new HostRefused(new Reply(554, List.of("5.7.1 go away")),
                "host " + HOST + " refused to talk to me"), true, "4.7.1", "mx.example.net", "smtp; 554 5.7.1 go away (host " + HOST + " refused to talk to me)"),
            cause("a refusal of our own", new HostRefused("4.7.4", "TLS is required, but was not offered by host " + HOST), true,
                "4.7.4", "mx.example.net", "x-sendonly; TLS is required, but was not offered by host " + HOST),
            cause("TLS failed", new SSLHandshakeException("bad certificate"), true,
                "4.7.5", "mx.example.net", "x-sendonly; TLS with " + HOST + " failed: bad certificate"),
            cause("timed out", new SocketTimeoutException("Read timed out"), true,
                "4.4.2", "mx.example.net", "x-sendonly; conversation with " + HOST + " timed out"),
            cause("connection lost", new IOException("Connection reset"), true,
                "4.4.2", "mx.example.net", "x-sendonly; lost connection with " + HOST + ": Connection reset"),
            cause("no connection", new ConnectException("Connection refused"), false,
                "4.4.1", "", "x-sendonly; connect to " + HOST + ": Connection refused"),
            cause("our own error", new IllegalStateException("bug"), true,
                "4.3.0", "mx.example.net", "x-sendonly; internal error talking to " + HOST));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("causes")
    void notStartedShouldDeferEveryRecipientSayingWhy(String name, Exception cause, boolean connected, String status, String remoteMta,
                                                       String diagnostic) throws Exception {
        List<MailAddress> recipients = List.of(new MailAddress("a@example.net"), new MailAddress("b@example.net"));

        List<RecipientResult> results = Trouble.notStarted(recipients, cause, connected, "mx.example.net", HOST);

        assertThat(results).containsExactly(
            new RecipientResult(recipients.get(0), Outcome.DEFERRED, status, remoteMta, diagnostic),
            new RecipientResult(recipients.get(1), Outcome.DEFERRED, status, remoteMta, diagnostic));
    }

    private static Arguments cause(String name, Exception cause, boolean connected, String status, String remoteMta, String diagnostic) {
        return Arguments.of(name, cause, connected, status, remoteMta, diagnostic);
    }
}
