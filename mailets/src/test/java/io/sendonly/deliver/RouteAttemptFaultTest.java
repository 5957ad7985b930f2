package io.sendonly.deliver;

import static io.sendonly.deliver.ScriptedSmtpPeer.ACCEPT_THEN_CLOSE;
import static io.sendonly.deliver.ScriptedSmtpPeer.ACCEPT_THEN_HANG;
import static io.sendonly.deliver.ScriptedSmtpPeer.CLOSE;
import static io.sendonly.deliver.ScriptedSmtpPeer.HANG;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.sendonly.deliver.RecipientResult.Outcome;
import io.sendonly.events.Events;
import io.sendonly.route.NextHop;
import io.sendonly.route.RouteTable.Route;
import io.sendonly.tls.DaneRecords;
import io.sendonly.tls.SecurityLevel;
import io.sendonly.tls.StsPolicies;
import io.sendonly.tls.TlsPolicyTable;
import io.sendonly.tls.TlsResults;

/**
 * Every way an attempt can go wrong, against a scripted peer: each recipient's outcome is asserted, then the deferred
 * ones are retried against a well-behaved peer, and no recipient may receive the message twice, except after a
 * connection lost between the final dot and its reply (RFC 1047), which must be counted.
 */
class RouteAttemptFaultTest {
    private static final String OK1 = "ok1@example.net";
    private static final String MIDDLE = "middle@example.net";
    private static final String OK2 = "ok2@example.net";
    private static final List<String> RECIPIENTS = List.of(OK1, MIDDLE, OK2);
    private static final byte[] MESSAGE = "From: app@example.com\r\nSubject: faults\r\n\r\nbody\r\n.leading dot\r\n"
        .getBytes(StandardCharsets.US_ASCII);

    /** Delivered, Failed, Retry (deferred), per recipient in {@link #RECIPIENTS} order. */
    static Stream<Arguments> scenarios() {
        return Stream.of(
            scenario("all accepted", Map.of(), true, "DDD", false),
            scenario("all accepted, no pipelining", Map.of(), false, "DDD", false),
            scenario("one recipient refused", Map.of("rcpt:" + MIDDLE, "550 5.1.1 no such user"), true, "DFD", false),
            scenario("one recipient refused, no pipelining", Map.of("rcpt:" + MIDDLE, "550 5.1.1 no such user"), false, "DFD", false),
            scenario("one recipient deferred", Map.of("rcpt:" + MIDDLE, "450 4.2.1 try later"), true, "DRD", false),
            scenario("one recipient deferred, no pipelining", Map.of("rcpt:" + MIDDLE, "452 4.5.3 too many"), false, "DRD", false),
            scenario("every recipient refused", refuseAll("550 5.1.1 no"), true, "FFF", false),
            scenario("every recipient refused, no pipelining", refuseAll("550 5.1.1 no"), false, "FFF", false),
            scenario("MAIL deferred", Map.of("mail", "451 4.3.0 busy"), true, "RRR", false),
            scenario("MAIL refused", Map.of("mail", "553 5.7.1 sender refused"), true, "FFF", false),
            scenario("MAIL refused, no pipelining", Map.of("mail", "553 5.7.1 sender refused"), false, "FFF", false),
            scenario("DATA deferred", Map.of("data", "451 4.3.0 later", "rcpt:" + MIDDLE, "550 5.1.1 no"), true, "RFR", false),
            scenario("DATA refused", Map.of("data", "554 5.7.1 no"), false, "FFF", false),
            scenario("end of data deferred", Map.of("dot", "451 4.3.0 later"), true, "RRR", false),
            scenario("end of data refused", Map.of("dot", "554 5.7.1 spam"), true, "FFF", false),
            scenario("end of data refused, one refused at RCPT", Map.of("dot", "552 5.3.4 too big", "rcpt:" + MIDDLE, "450 4.2.1 later"), true, "FRF", false),
            scenario("greeting deferred", Map.of("greeting", "421 4.3.2 not now"), true, "RRR", false),
            scenario("greeting refused", Map.of("greeting", "554 5.7.1 go away"), true, "RRR", false),
            scenario("greeting never comes", Map.of("greeting", HANG), true, "RRR", false),
            scenario("closed before greeting", Map.of("greeting", CLOSE), true, "RRR", false),
            scenario("greeting malformed", Map.of("greeting", "2X0 hello"), true, "RRR", false),
            scenario("greeting not 220", Map.of("greeting", "250 hello"), true, "RRR", false),
            scenario("EHLO deferred", Map.of("ehlo", "421 4.3.2 shutting down"), true, "RRR", false),
            scenario("closed at EHLO", Map.of("ehlo", CLOSE), true, "RRR", false),
            scenario("EHLO lines with different codes", Map.of("ehlo", "250-peer.test\n220 PIPELINING"), true, "RRR", false),
            scenario("EHLO reply of 101 lines", Map.of("ehlo", "250-x\n".repeat(100) + "250 y"), true, "RRR", false),
            scenario("closed at MAIL", Map.of("mail", CLOSE), true, "RRR", false),
            scenario("no reply to MAIL", Map.of("mail", HANG), false, "RRR", false),
            scenario("MAIL reply malformed", Map.of("mail", "25O ok"), true, "RRR", false),
            scenario("MAIL answered 354, out of step", Map.of("mail", "354 go"), true, "RRR", false),
            scenario("MAIL answered twice, no pipelining", Map.of("mail", "250 ok\n250 ok"), false, "RRR", false),
            scenario("MAIL answered twice", Map.of("mail", "250 ok\n250 ok"), true, "RRR", false),
            scenario("closed at the last RCPT", Map.of("rcpt:" + MIDDLE, "550 5.1.1 no", "rcpt:" + OK2, CLOSE), true, "RFR", false),
            scenario("no reply to the last RCPT", Map.of("rcpt:" + MIDDLE, "550 5.1.1 no", "rcpt:" + OK2, HANG), false, "RFR", false),
            scenario("RCPT reply malformed", Map.of("rcpt:" + OK1, "250ok"), true, "RRR", false),
            scenario("RCPT answered 354, out of step", Map.of("rcpt:" + MIDDLE, "354 go"), true, "RRR", false),
            scenario("closed at DATA", Map.of("data", CLOSE, "rcpt:" + MIDDLE, "550 5.1.1 no"), true, "RFR", false),
            scenario("no reply to DATA", Map.of("data", HANG), true, "RRR", false),
            scenario("DATA answered 250, out of step", Map.of("data", "250 ok"), true, "RRR", false),
            scenario("DATA reply malformed", Map.of("data", "3540 go"), false, "RRR", false),
            scenario("closed after the final dot, message not taken", Map.of("dot", CLOSE), true, "RRR", true),
            scenario("message taken, connection lost before the reply", Map.of("dot", ACCEPT_THEN_CLOSE), true, "RRR", true),
            scenario("message taken, reply never comes", Map.of("dot", ACCEPT_THEN_HANG), true, "RRR", true),
            scenario("message taken, reply malformed", Map.of("dot", "2500 ok"), true, "RRR", true),
            scenario("message taken, reply lines with different codes", Map.of("dot", "250-queued\n550 oops"), true, "RRR", true),
            scenario("end of data answered 354, out of step", Map.of("dot", "354 more"), true, "RRR", true),
            scenario("multi-line reply to end of data", Map.of("dot", "250-queued as 1\n250 2.0.0 ok"), true, "DDD", false),
            scenario("bare code replies", Map.of("mail", "250", "dot", "250"), true, "DDD", false),
            scenario("closed at QUIT after delivery", Map.of("quit", CLOSE), true, "DDD", false),
            scenario("QUIT reply malformed after delivery", Map.of("quit", "x"), true, "DDD", false),
            scenario("no reply to QUIT after delivery", Map.of("quit", HANG), true, "DDD", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void eachRecipientShouldGetOneOutcomeAndTheMessageOnce(String name, Map<String, String> script, boolean pipelining,
                                                            String expected, boolean rfc1047) throws Exception {
        Map<String, AtomicInteger> taken = ScriptedSmtpPeer.newCounts();
        RouteAttempt attempt = attempt();
        List<RecipientResult> first;
        try (ScriptedSmtpPeer faulty = ScriptedSmtpPeer.start(script, pipelining, taken)) {
            first = attempt.deliver(route(faulty.port()), "example.net", "app@example.com", addresses(RECIPIENTS), MESSAGE, false, false, attempts());
        }

        assertThat(first).extracting(RouteAttemptFaultTest::letter).as(name + ": " + first)
            .containsExactlyElementsOf(expected.chars().mapToObj(c -> String.valueOf((char) c)).toList());
        assertThat(attempt.possibleDuplicates()).as("counted as a possible duplicate (RFC 1047)").isEqualTo(rfc1047 ? 1 : 0);

        List<String> deferred = first.stream().filter(result -> result.outcome() == Outcome.DEFERRED)
            .map(result -> result.recipient().asString()).toList();
        if (!deferred.isEmpty()) {
            try (ScriptedSmtpPeer good = ScriptedSmtpPeer.start(Map.of(), pipelining, taken)) {
                assertThat(attempt.deliver(route(good.port()), "example.net", "app@example.com", addresses(deferred), MESSAGE, false, false, attempts()))
                    .allMatch(result -> result.outcome() == Outcome.DELIVERED);
            }
        }
        for (RecipientResult result : first) {
            int received = Optional.ofNullable(taken.get(result.recipient().asString())).map(AtomicInteger::get).orElse(0);
            int allowed = result.outcome() == Outcome.FAILED ? 0 : 1;
            if (rfc1047 && received == 2) {
                allowed = 2;
            }
            assertThat(received).as(result.recipient() + " received").isEqualTo(allowed);
        }
    }

    /** D delivered, F failed, R deferred (to be retried). */
    private static String letter(RecipientResult result) {
        return switch (result.outcome()) {
            case DELIVERED -> "D";
            case FAILED -> "F";
            case DEFERRED -> "R";
        };
    }

    private static Arguments scenario(String name, Map<String, String> script, boolean pipelining, String expected, boolean rfc1047) {
        return Arguments.of(name, script, pipelining, expected, rfc1047);
    }

    private static Map<String, String> refuseAll(String reply) {
        return Map.of("rcpt:" + OK1, reply, "rcpt:" + MIDDLE, reply, "rcpt:" + OK2, reply);
    }

    private static RouteAttempt attempt() throws Exception {
        DeliverySettings settings = DeliverySettings.from(FakeMailetConfig.builder()
            .setProperty(RouteDelivery.CONNECT_TIMEOUT, "2s")
            .setProperty(RouteDelivery.TIMEOUT, "1500ms")
            .build(), "client.test");
        return new RouteAttempt(settings, new LiteralAddresses(), TlsPolicyTable::empty, StsPolicies.NONE, DaneRecords.NONE,
            usable -> (chain, host) -> Optional.empty(), TlsResults.IGNORED, new ConnectionCache(Duration.ZERO, Duration.ZERO), Clock.systemUTC());
    }

    private static Route route(int port) {
        return new Route("default", List.of(new NextHop("127.0.0.1", port, false, SecurityLevel.NONE, false, Optional.empty(), Optional.empty())));
    }

    private static List<MailAddress> addresses(List<String> addresses) throws Exception {
        List<MailAddress> parsed = new java.util.ArrayList<>();
        for (String address : addresses) {
            parsed.add(new MailAddress(address));
        }
        return parsed;
    }

    private static DeliveryEvents.Attempts attempts() throws MessagingException {
        return new DeliveryEvents(new Events(), Clock.systemUTC()).attempts(FakeMail.defaultFakeMail());
    }
}
