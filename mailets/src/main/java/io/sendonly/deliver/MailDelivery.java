package io.sendonly.deliver;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sendonly.deliver.DeliveryAttributes.Report;
import io.sendonly.deliver.RecipientResult.Outcome;
import io.sendonly.events.EventType;
import io.sendonly.events.Events;
import io.sendonly.events.MessageEvent;
import io.sendonly.mime.MessageBytes;
import io.sendonly.route.RouteTable;
import io.sendonly.suppress.Suppression;
import io.sendonly.suppress.SuppressionList;

/**
 * One delivery attempt of one mail (James's {@code MailDelivrer}): its recipients grouped by {@link Destination},
 * each group tried by {@link RouteAttempt}, then every result settled by the {@link RetryPolicy}: the failed go to
 * the {@link Bouncer}, the deferred stay on the mail for the next attempt. A recipient on the {@link SuppressionList}
 * is not attempted: it fails at once, reported as any failure.
 */
final class MailDelivery {
    /** The delivery log lines (to=, relay=, status=) keep the mailet's name, which operators and tests look for. */
    private static final Logger LOGGER = LoggerFactory.getLogger(RouteDelivery.class);
    /**
     * RFC 3463 5.7.1, "delivery not authorized, message refused", which covers per-recipient filtering: our own
     * policy refuses, the mailbox was not asked again (5.1.1 would claim it was), and the class is then POLICY,
     * so a refusal never lists the recipient again nor counts as another hard bounce.
     */
    static final String SUPPRESSED_STATUS = "5.7.1";

    private final Supplier<RouteTable> routes;
    private final RouteAttempt attempt;
    private final RetryPolicy retry;
    private final Bouncer bouncer;
    private final SuppressionList suppressions;
    private final Events events;
    private final Clock clock;

    MailDelivery(Supplier<RouteTable> routes, RouteAttempt attempt, RetryPolicy retry, Bouncer bouncer, SuppressionList suppressions,
                 Events events, Clock clock) {
        this.routes = routes;
        this.attempt = attempt;
        this.retry = retry;
        this.bouncer = bouncer;
        this.suppressions = suppressions;
        this.events = events;
        this.clock = clock;
    }

    /**
     * @return how long to wait before trying the mail again, its recipients now the deferred ones and its error
     *     message their reasons; empty when no recipient is left
     */
    Optional<Duration> deliver(Mail mail) throws MessagingException {
        byte[] message = MessageBytes.forSmtp(mail.getMessage());
        boolean eightBit = MessageBytes.eightBit(message);
        String sender = mail.getMaybeSender().asString("");
        Optional<String> senderDomain = mail.getMaybeSender().asOptional().map(address -> address.getDomain().asString());
        List<RecipientResult> suppressed = new ArrayList<>();
        List<MailAddress> attempted = new ArrayList<>();
        for (MailAddress recipient : mail.getRecipients()) {
            Optional<Suppression> entry = suppressions.find(recipient.asString(), senderDomain);
            if (entry.isPresent()) {
                suppressed.add(suppressed(mail, recipient, entry.get()));
            } else {
                attempted.add(recipient);
            }
        }
        List<RecipientResult> results = new ArrayList<>();
        // RouteAttempt reads the domain for a direct route only: a smart-host group passes any of its domains.
        destinations(attempted, senderDomain).forEach((destination, recipients) -> results.addAll(attempt.deliver(destination.route(),
            destination.mxDomain().orElse(recipients.get(0).getDomain()).asString(), sender, recipients, message, eightBit)));
        return settle(mail, results, suppressed);
    }

    private RecipientResult suppressed(Mail mail, MailAddress recipient, Suppression entry) throws MessagingException {
        RecipientResult result = RecipientResult.failed(recipient, SUPPRESSED_STATUS, "", entry.explanation());
        if (events.observed()) {
            events.publish(MessageEvent.of(clock.instant(), EventType.SUPPRESSED, messageId(mail), mail.getName(), recipient.asString(),
                SUPPRESSED_STATUS, Map.of("reply", result.explanation(), "listedAt", entry.listedAt().toString())));
        }
        return result;
    }

    private static String messageId(Mail mail) throws MessagingException {
        String messageId = mail.getMessage().getMessageID();
        return messageId == null ? "" : messageId.replaceAll("^\\s*<|>\\s*$", "");
    }

    private Map<Destination, List<MailAddress>> destinations(List<MailAddress> recipients, Optional<String> senderDomain) {
        RouteTable table = routes.get();
        Map<Destination, List<MailAddress>> destinations = new LinkedHashMap<>();
        for (MailAddress recipient : recipients) {
            Destination destination = Destination.of(table.route(recipient.getDomain().asString(), senderDomain), recipient.getDomain());
            destinations.computeIfAbsent(destination, any -> new ArrayList<>()).add(recipient);
        }
        return destinations;
    }

    /**
     * Logs each result, reports the failed and the suppressed, and leaves the deferred on the mail, warning the sender
     * when due.
     */
    private Optional<Duration> settle(Mail mail, List<RecipientResult> results, List<RecipientResult> suppressed) throws MessagingException {
        Instant queuedAt = DeliveryAttributes.queuedAt(mail).orElse(clock.instant());
        Duration queued = Duration.between(queuedAt, clock.instant());
        List<RecipientResult> failed = new ArrayList<>(suppressed);
        List<RecipientResult> deferred = new ArrayList<>();
        for (RecipientResult result : suppressed) {
            log(mail, result, queued);
        }
        for (RecipientResult result : results) {
            RecipientResult settled = retry.settle(result, queued);
            log(mail, settled, queued);
            if (settled.outcome() == Outcome.FAILED) {
                failed.add(settled);
                bounced(mail, settled, queued);
            } else if (settled.outcome() == Outcome.DEFERRED) {
                deferred.add(settled);
            }
        }
        if (!failed.isEmpty()) {
            bouncer.report(mail, Report.FAILED, failed);
        }
        if (deferred.isEmpty()) {
            return Optional.empty();
        }
        if (retry.warns(queued, DeliveryAttributes.warned(mail))) {
            bouncer.report(mail, Report.DELAYED, deferred);
            DeliveryAttributes.markWarned(mail);
        }
        int retries = DeliveryAttributes.retries(mail) + 1;
        DeliveryAttributes.retries(mail, retries);
        mail.setRecipients(deferred.stream().map(RecipientResult::recipient).toList());
        // The queue keeps the error message: mailq shows it as the deferral reason.
        mail.setErrorMessage(deferred.stream().map(RecipientResult::explanation).distinct().collect(Collectors.joining("; ")));
        return Optional.of(retry.delayBeforeRetry(retries));
    }

    private static void log(Mail mail, RecipientResult result, Duration queued) {
        LOGGER.info("{}: to=<{}>, relay={}, delay={}s, status={} {} ({})", mail.getName(), result.recipient().asString(),
            result.remoteMta().isEmpty() ? "none" : result.remoteMta(), queued.toSeconds(),
            result.outcome().name().toLowerCase(), result.status(), result.diagnostic());
    }

    /** The {@code sender} detail lets the suppression list keep a hard bounce per sender domain. */
    private void bounced(Mail mail, RecipientResult result, Duration queued) throws MessagingException {
        if (events.observed()) {
            events.publish(MessageEvent.of(clock.instant(), EventType.BOUNCED, messageId(mail), mail.getName(), result.recipient().asString(),
                result.status(), Map.of("reply", result.explanation(), "relay", result.remoteMta().isEmpty() ? "none" : result.remoteMta(),
                    "delay", String.format(Locale.ROOT, "%.3f", queued.toMillis() / 1000.0),
                    "sender", mail.getMaybeSender().asString(""))));
        }
    }
}
