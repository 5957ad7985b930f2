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

/**
 * One delivery attempt of one mail (James's {@code MailDelivrer}): its recipients grouped by {@link Destination},
 * each group tried by {@link RouteAttempt}, then every result settled by the {@link RetryPolicy}: the failed go to
 * the {@link Bouncer}, the deferred stay on the mail for the next attempt.
 */
final class MailDelivery {
    /** The delivery log lines (to=, relay=, status=) keep the mailet's name, which operators and tests look for. */
    private static final Logger LOGGER = LoggerFactory.getLogger(RouteDelivery.class);

    private final Supplier<RouteTable> routes;
    private final RouteAttempt attempt;
    private final RetryPolicy retry;
    private final Bouncer bouncer;
    private final Clock clock;
    private final Events events;

    MailDelivery(Supplier<RouteTable> routes, RouteAttempt attempt, RetryPolicy retry, Bouncer bouncer, Clock clock, Events events) {
        this.routes = routes;
        this.attempt = attempt;
        this.retry = retry;
        this.bouncer = bouncer;
        this.clock = clock;
        this.events = events;
    }

    /**
     * @return how long to wait before trying the mail again, its recipients now the deferred ones and its error
     *     message their reasons; empty when no recipient is left
     */
    Optional<Duration> deliver(Mail mail) throws MessagingException {
        byte[] message = MessageBytes.forSmtp(mail.getMessage());
        boolean eightBit = MessageBytes.eightBit(message);
        String sender = mail.getMaybeSender().asString("");
        List<RecipientResult> results = new ArrayList<>();
        Map<MailAddress, String> routeNames = new LinkedHashMap<>();
        // RouteAttempt reads the domain for a direct route only: a smart-host group passes any of its domains.
        destinations(mail).forEach((destination, recipients) -> {
            recipients.forEach(recipient -> routeNames.put(recipient, routeName(destination.route())));
            results.addAll(attempt.deliver(destination.route(),
                destination.mxDomain().orElse(recipients.get(0).getDomain()).asString(), sender, recipients, message, eightBit));
        });
        return settle(mail, results, routeNames);
    }

    /** {@code direct}, or the smart hosts in failover order as the route table writes them (no password). */
    private static String routeName(RouteTable.Route route) {
        return route.direct() ? "direct" : route.smartHosts().stream().map(Object::toString).collect(Collectors.joining(","));
    }

    private Map<Destination, List<MailAddress>> destinations(Mail mail) {
        Optional<String> senderDomain = mail.getMaybeSender().asOptional().map(address -> address.getDomain().asString());
        RouteTable table = routes.get();
        Map<Destination, List<MailAddress>> destinations = new LinkedHashMap<>();
        for (MailAddress recipient : mail.getRecipients()) {
            Destination destination = Destination.of(table.route(recipient.getDomain().asString(), senderDomain), recipient.getDomain());
            destinations.computeIfAbsent(destination, any -> new ArrayList<>()).add(recipient);
        }
        return destinations;
    }

    /** The recipient's outcome as an event; a failure past the queue lifetime (5.4.7) is an expiry. */
    private void publish(Mail mail, RecipientResult result, String route, Duration queued) throws MessagingException {
        if (!events.observed()) {
            return;
        }
        EventType type = switch (result.outcome()) {
            case DELIVERED -> EventType.DELIVERED;
            case DEFERRED -> EventType.DEFERRED;
            case FAILED -> result.status().equals("5.4.7") ? EventType.EXPIRED : EventType.BOUNCED;
        };
        Map<String, String> details = new LinkedHashMap<>();
        if (!result.remoteMta().isEmpty()) {
            details.put("relay", result.remoteMta());
        }
        details.put("reply", result.explanation());
        details.put("route", route);
        details.put("delay", String.format(Locale.ROOT, "%.3f", queued.toMillis() / 1000.0));
        String messageId = Optional.ofNullable(mail.getMessage().getMessageID()).map(id -> id.replaceAll("^\\s*<|>\\s*$", "")).orElse("");
        events.publish(MessageEvent.of(clock.instant(), type, messageId, mail.getName(), result.recipient().asString(), result.status(),
            details));
    }

    /** Logs each result, reports the failed, and leaves the deferred on the mail, warning the sender when due. */
    private Optional<Duration> settle(Mail mail, List<RecipientResult> results, Map<MailAddress, String> routeNames)
            throws MessagingException {
        Instant queuedAt = DeliveryAttributes.queuedAt(mail).orElse(clock.instant());
        Duration queued = Duration.between(queuedAt, clock.instant());
        List<RecipientResult> failed = new ArrayList<>();
        List<RecipientResult> deferred = new ArrayList<>();
        for (RecipientResult result : results) {
            RecipientResult settled = retry.settle(result, queued);
            LOGGER.info("{}: to=<{}>, relay={}, delay={}s, status={} {} ({})", mail.getName(), settled.recipient().asString(),
                settled.remoteMta().isEmpty() ? "none" : settled.remoteMta(), queued.toSeconds(),
                settled.outcome().name().toLowerCase(), settled.status(), settled.diagnostic());
            publish(mail, settled, routeNames.getOrDefault(settled.recipient(), "direct"), queued);
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
}
