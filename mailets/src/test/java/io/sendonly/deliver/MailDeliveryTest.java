package io.sendonly.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.james.core.MailAddress;
import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sendonly.deliver.DeliveryAttributes.Report;
import io.sendonly.deliver.RecipientResult.Outcome;
import io.sendonly.events.EventType;
import io.sendonly.events.Events;
import io.sendonly.events.MessageEvent;
import io.sendonly.route.RouteTable;
import io.sendonly.suppress.SuppressionList;
import io.sendonly.suppress.SuppressionSettings;
import io.sendonly.tls.DaneRecords;
import io.sendonly.tls.StsPolicies;
import io.sendonly.tls.TlsPolicyTable;
import io.sendonly.tls.TlsResults;

/**
 * One mail through {@link MailDelivery} to scripted SMTP peers on loopback: what each recipient received, what the
 * bounce processor got, and what is left on the mail for the next attempt.
 */
class MailDeliveryTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final String BOUNCES = "bounces";

    private final Map<String, AtomicInteger> taken = ScriptedSmtpPeer.newCounts();
    private final Events events = new Events();
    private final List<MessageEvent> published = new CopyOnWriteArrayList<>();
    private final FakeMailContext context = FakeMailContext.defaultContext();
    private final ConnectionCache connections = new ConnectionCache(Duration.ZERO, Duration.ZERO);
    private final DeliverySettings settings = DeliverySettings.from(FakeMailetConfig.builder()
        .setProperty(RouteDelivery.CONNECT_TIMEOUT, "2s")
        .setProperty(RouteDelivery.TIMEOUT, "2s")
        .setProperty(RouteDelivery.RETRY_SCHEDULE, "5m, 1h")
        .setProperty(RouteDelivery.MAX_QUEUE_LIFETIME, "5d")
        .setProperty(RouteDelivery.DELAY_WARNING_TIME, "4h")
        .build(), "client.test");

    @TempDir
    Path directory;
    private SuppressionList suppressions;

    @BeforeEach
    void openTheSuppressionList() throws Exception {
        suppressions = new SuppressionList(SuppressionSettings.DEFAULTS, directory.resolve(SuppressionList.FILE), events,
            Clock.fixed(NOW, ZoneOffset.UTC));
        events.subscribe(published::add);
    }

    @AfterEach
    void closeConnections() {
        connections.close();
    }

    @Test
    void deliverShouldHandEveryRecipientOverOnceAndLeaveNothingToRetry() throws Exception {
        try (ScriptedSmtpPeer peer = ScriptedSmtpPeer.start(Map.of(), true, taken)) {
            Mail mail = mail(Duration.ZERO, "a@example.net", "b@example.org");

            Optional<Duration> retry = delivery(routesTo(peer)).deliver(mail);

            assertThat(retry).isEmpty();
            assertThat(received()).containsExactlyInAnyOrderEntriesOf(Map.of("a@example.net", 1, "b@example.org", 1));
            assertThat(context.getSentMails()).isEmpty();
        }
    }

    @Test
    void deliverShouldReportARefusedRecipientToTheBounceProcessorAndDeliverTheOthers() throws Exception {
        try (ScriptedSmtpPeer peer = ScriptedSmtpPeer.start(Map.of("rcpt:gone@example.net", "550 5.1.1 no such user"), true, taken)) {
            Mail mail = mail(Duration.ZERO, "a@example.net", "gone@example.net");

            Optional<Duration> retry = delivery(routesTo(peer)).deliver(mail);

            assertThat(retry).isEmpty();
            assertThat(received()).containsExactlyEntriesOf(Map.of("a@example.net", 1));
            FakeMailContext.SentMail report = onlyReport();
            assertThat(report.getState()).isEqualTo(BOUNCES);
            assertThat(report.getRecipients()).containsExactly(new MailAddress("gone@example.net"));
            Mail reported = reportedMail(report);
            assertThat(DeliveryAttributes.report(reported)).contains(Report.FAILED);
            assertThat(DeliveryAttributes.results(reported)).singleElement()
                .satisfies(result -> assertThat(result.status()).isEqualTo("5.1.1"))
                .satisfies(result -> assertThat(result.diagnostic()).isEqualTo("smtp; 550 5.1.1 no such user"));
        }
    }

    @Test
    void deliverShouldNotAttemptAHardBouncedRecipientAgainAndReportItSuppressed() throws Exception {
        try (ScriptedSmtpPeer refusing = ScriptedSmtpPeer.start(Map.of("rcpt:gone@example.net", "550 5.1.1 no such user"), true, taken);
             ScriptedSmtpPeer accepting = ScriptedSmtpPeer.start(Map.of(), true, taken)) {
            delivery(routesTo(refusing)).deliver(mail(Duration.ZERO, "gone@example.net"));
            context.resetSentMails();

            Optional<Duration> retry = delivery(routesTo(accepting)).deliver(mail(Duration.ZERO, "a@example.net", "Gone@example.net"));

            assertThat(retry).isEmpty();
            assertThat(received()).containsExactlyEntriesOf(Map.of("a@example.net", 1));
            Mail reported = reportedMail(onlyReport());
            assertThat(DeliveryAttributes.report(reported)).contains(Report.FAILED);
            assertThat(DeliveryAttributes.results(reported)).singleElement()
                .satisfies(result -> assertThat(result.status()).isEqualTo("5.7.1"))
                .satisfies(result -> assertThat(result.diagnostic()).isEqualTo("x-sendonly; recipient suppressed since " + NOW
                    + " after '550 5.1.1 no such user'; remove it with: sendonly suppressions remove gone@example.net"));
            assertThat(outcomes()).extracting(MessageEvent::type).containsExactly(EventType.BOUNCED, EventType.SUPPRESSED, EventType.DELIVERED);
            assertThat(outcomes().get(1).details()).containsEntry("listedAt", NOW.toString());
        }
    }

    @Test
    void deliverShouldAttemptEveryRecipientWhenTheListIsDisabled() throws Exception {
        suppressions = new SuppressionList(new SuppressionSettings(false, Duration.ofDays(1), false),
            directory.resolve("disabled"), events, Clock.fixed(NOW, ZoneOffset.UTC));
        try (ScriptedSmtpPeer refusing = ScriptedSmtpPeer.start(Map.of("rcpt:gone@example.net", "550 5.1.1 no such user"), true, taken)) {
            delivery(routesTo(refusing)).deliver(mail(Duration.ZERO, "gone@example.net"));
            delivery(routesTo(refusing)).deliver(mail(Duration.ZERO, "gone@example.net"));

            assertThat(suppressions.store().search("", 0, 10)).isEmpty();
            assertThat(outcomes()).extracting(MessageEvent::type).containsExactly(EventType.BOUNCED, EventType.BOUNCED);
        }
    }

    @Test
    void deliverShouldLeaveTheDeferredRecipientOnTheMailWithItsReasonAndTheFirstRetryDelay() throws Exception {
        try (ScriptedSmtpPeer peer = ScriptedSmtpPeer.start(Map.of("rcpt:later@example.net", "450 4.2.1 mailbox busy"), true, taken)) {
            Mail mail = mail(Duration.ZERO, "a@example.net", "later@example.net");

            Optional<Duration> retry = delivery(routesTo(peer)).deliver(mail);

            assertThat(retry).contains(Duration.ofMinutes(5));
            assertThat(mail.getRecipients()).containsExactly(new MailAddress("later@example.net"));
            assertThat(mail.getErrorMessage()).isEqualTo("450 4.2.1 mailbox busy");
            assertThat(DeliveryAttributes.retries(mail)).isEqualTo(1);
            assertThat(received()).containsExactlyEntriesOf(Map.of("a@example.net", 1));
            assertThat(context.getSentMails()).isEmpty();
        }
    }

    @Test
    void deliverShouldWaitTheNextDelayOfTheScheduleOnTheNextDeferral() throws Exception {
        try (ScriptedSmtpPeer peer = ScriptedSmtpPeer.start(Map.of("mail", "451 4.3.0 busy"), true, taken)) {
            Mail mail = mail(Duration.ZERO, "a@example.net");
            MailDelivery delivery = delivery(routesTo(peer));

            assertThat(delivery.deliver(mail)).contains(Duration.ofMinutes(5));
            assertThat(delivery.deliver(mail)).contains(Duration.ofHours(1));
            assertThat(delivery.deliver(mail)).contains(Duration.ofHours(1));
            assertThat(DeliveryAttributes.retries(mail)).isEqualTo(3);
        }
    }

    @Test
    void deliverShouldWarnTheSenderOnceWhenTheMailIsStillDeferredAfterTheDelayWarningTime() throws Exception {
        try (ScriptedSmtpPeer peer = ScriptedSmtpPeer.start(Map.of("mail", "451 4.3.0 busy"), true, taken)) {
            Mail mail = mail(Duration.ofHours(5), "a@example.net");
            MailDelivery delivery = delivery(routesTo(peer));

            delivery.deliver(mail);
            delivery.deliver(mail);

            FakeMailContext.SentMail warning = onlyReport();
            assertThat(DeliveryAttributes.report(reportedMail(warning))).contains(Report.DELAYED);
            assertThat(warning.getRecipients()).containsExactly(new MailAddress("a@example.net"));
        }
    }

    @Test
    void deliverShouldFailADeferredRecipientOnceTheQueueLifetimeIsOver() throws Exception {
        try (ScriptedSmtpPeer peer = ScriptedSmtpPeer.start(Map.of("mail", "451 4.3.0 busy"), true, taken)) {
            Mail mail = mail(Duration.ofDays(5), "a@example.net");

            Optional<Duration> retry = delivery(routesTo(peer)).deliver(mail);

            assertThat(retry).isEmpty();
            Mail reported = reportedMail(onlyReport());
            assertThat(DeliveryAttributes.report(reported)).contains(Report.FAILED);
            assertThat(DeliveryAttributes.results(reported)).singleElement()
                .satisfies(result -> assertThat(result.outcome()).isEqualTo(Outcome.FAILED))
                .satisfies(result -> assertThat(result.status()).isEqualTo("5.4.7"))
                .satisfies(result -> assertThat(result.diagnostic()).isEqualTo("smtp; 451 4.3.0 busy"));
        }
    }

    @Test
    void deliverShouldSendEachRecipientDomainByItsOwnRoute() throws Exception {
        Map<String, AtomicInteger> takenByOther = ScriptedSmtpPeer.newCounts();
        try (ScriptedSmtpPeer net = ScriptedSmtpPeer.start(Map.of(), true, taken);
             ScriptedSmtpPeer org = ScriptedSmtpPeer.start(Map.of(), true, takenByOther)) {
            RouteTable routes = RouteTable.parse(List.of(
                "recipient example.net [127.0.0.1]:" + net.port(),
                "recipient example.org [127.0.0.1]:" + org.port()), "routes");
            Mail mail = mail(Duration.ZERO, "a@example.net", "b@example.org", "c@example.net");

            assertThat(delivery(routes).deliver(mail)).isEmpty();

            assertThat(received()).containsExactlyInAnyOrderEntriesOf(Map.of("a@example.net", 1, "c@example.net", 1));
            assertThat(takenByOther).containsOnlyKeys("b@example.org");
        }
    }

    @Test
    void deliverShouldPublishEachRecipientsOutcomeWithItsRouteReplyAndDelay() throws Exception {
        try (ScriptedSmtpPeer peer = ScriptedSmtpPeer.start(Map.of("rcpt:gone@example.net", "550 5.1.1 no such user",
            "rcpt:later@example.net", "450 4.2.0 try later"), true, taken)) {
            Mail mail = mail(Duration.ofSeconds(90), "a@example.net", "gone@example.net", "later@example.net");

            delivery(routesTo(peer)).deliver(mail);

            String route = "[127.0.0.1]:" + peer.port();
            List<MessageEvent> outcomes = outcomes();
            assertThat(outcomes).extracting(MessageEvent::type, event -> event.recipient().orElseThrow(), event -> event.status().orElseThrow(),
                    event -> event.bounceClass().map(Enum::name).orElse("-"), event -> event.details().get("route"),
                    event -> event.details().get("delay"))
                .containsExactly(tuple(EventType.DELIVERED, "a@example.net", "2.0.0", "-", route, "90.000"),
                    tuple(EventType.BOUNCED, "gone@example.net", "5.1.1", "HARD", route, "90.000"),
                    tuple(EventType.DEFERRED, "later@example.net", "4.2.0", "SOFT", route, "90.000"));
            assertThat(outcomes.get(1).details()).containsEntry("reply", "550 5.1.1 no such user");
            assertThat(published).allSatisfy(event -> assertThat(event.queueId()).isEqualTo("mail1"));
        }
    }

    @Test
    void deliverShouldDeferEveryRecipientWhenTheHostCannotBeReached() throws Exception {
        int closedPort;
        try (ScriptedSmtpPeer gone = ScriptedSmtpPeer.start(Map.of(), true, taken)) {
            closedPort = gone.port();
        }
        Mail mail = mail(Duration.ZERO, "a@example.net", "b@example.org");

        Optional<Duration> retry = delivery(RouteTable.parse(List.of("default [127.0.0.1]:" + closedPort), "routes")).deliver(mail);

        assertThat(retry).contains(Duration.ofMinutes(5));
        assertThat(mail.getRecipients()).containsExactly(new MailAddress("a@example.net"), new MailAddress("b@example.org"));
        assertThat(mail.getErrorMessage()).startsWith("connect to 127.0.0.1[127.0.0.1]:" + closedPort + ": ");
    }

    private MailDelivery delivery(RouteTable routes) throws Exception {
        RouteAttempt attempt = new RouteAttempt(settings, new LiteralAddresses(), TlsPolicyTable::empty, StsPolicies.NONE,
            DaneRecords.NONE, usable -> (chain, host) -> Optional.empty(), TlsResults.IGNORED, connections, Clock.systemUTC());
        return new MailDelivery(() -> routes, attempt, settings.retry(), new Bouncer(context, BOUNCES), suppressions,
            new DeliveryEvents(events, Clock.fixed(NOW, ZoneOffset.UTC)), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static RouteTable routesTo(ScriptedSmtpPeer peer) {
        return RouteTable.parse(List.of("default [127.0.0.1]:" + peer.port()), "routes");
    }

    /** A mail queued {@code queuedFor} ago. */
    private static Mail mail(Duration queuedFor, String... recipients) throws Exception {
        FakeMail mail = FakeMail.builder().name("mail1").sender("app@example.com").recipients(recipients)
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().addFrom("app@example.com").setSubject("test").setText("body"))
            .build();
        DeliveryAttributes.startOver(mail, NOW.minus(queuedFor));
        return mail;
    }

    private Map<String, Integer> received() {
        return taken.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().get()));
    }

    private FakeMailContext.SentMail onlyReport() {
        assertThat(context.getSentMails()).hasSize(1);
        return context.getSentMails().get(0);
    }

    private static Mail reportedMail(FakeMailContext.SentMail sent) throws Exception {
        return FakeMail.builder().name("report").attributes(sent.getAttributes().values()).build();
    }

    /** The published events but the attempts: each recipient's outcome. */
    private List<MessageEvent> outcomes() {
        return published.stream().filter(event -> event.type() != EventType.ATTEMPT).toList();
    }
}
