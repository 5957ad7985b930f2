package io.sendonly.deliver;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
    private final DeliveryEvents events;
    private final Clock clock;

    MailDelivery(Supplier<RouteTable> routes, RouteAttempt attempt, RetryPolicy retry, Bouncer bouncer, SuppressionList suppressions,
                 DeliveryEvents events, Clock clock) {
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
        boolean tlsReport = mail.getAttribute(DeliveryAttributes.TLS_REPORT).isPresent();
        String sender = mail.getMaybeSender().asString("");
        Optional<String> senderDomain = mail.getMaybeSender().asOptional().map(address -> address.getDomain().asString());
        DeliveryEvents.Attempts attempts = events.attempts(mail);
        List<RecipientResult> suppressed = new ArrayList<>();
        List<MailAddress> attempted = new ArrayList<>();
        for (MailAddress recipient : mail.getRecipients()) {
            Optional<Suppression> entry = suppressions.find(recipient.asString(), senderDomain);
            if (entry.isPresent()) {
                RecipientResult result = RecipientResult.failed(recipient, SUPPRESSED_STATUS, "", entry.get().explanation());
                attempts.suppressed(result, entry.get().listedAt());
                suppressed.add(result);
            } else {
                attempted.add(recipient);
            }
        }
        List<RecipientResult> results = new ArrayList<>();
        // RouteAttempt reads the domain for a direct route only: a smart-host group passes any of its domains.
        destinations(attempted, senderDomain).forEach((destination, recipients) -> results.addAll(attempt.deliver(destination.route(),
            destination.mxDomain().orElse(recipients.get(0).getDomain()).asString(), sender, recipients, message, eightBit, tlsReport,
            attempts)));
        return settle(mail, results, suppressed, attempts);
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
     * Logs each result and publishes it as an event, reports the failed and the suppressed, and leaves the deferred on
     * the mail, warning the sender when due.
     */
    private Optional<Duration> settle(Mail mail, List<RecipientResult> results, List<RecipientResult> suppressed,
                                      DeliveryEvents.Attempts attempts) throws MessagingException {
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
            attempts.settled(result, settled, queued);
            if (settled.outcome() == Outcome.FAILED) {
                failed.add(settled);
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
}
