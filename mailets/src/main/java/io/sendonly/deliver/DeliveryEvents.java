package io.sendonly.deliver;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLSession;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;

import io.sendonly.deliver.RecipientResult.Outcome;
import io.sendonly.events.EventType;
import io.sendonly.events.Events;
import io.sendonly.events.MessageEvent;
import io.sendonly.events.MessageIds;
import io.sendonly.route.NextHop;
import io.sendonly.route.RouteTable.Route;

/**
 * The delivery side's {@link MessageEvent}s: queued, one attempt per recipient per host, and each recipient's settled
 * outcome, which carries the relay and TLS of that recipient's last attempt. Nothing is built when nobody listens.
 */
final class DeliveryEvents {
    private static final String NONE = "none";

    /** What one mail's attempts saw, per recipient; filled by {@link RouteAttempt}, read when the results settle. */
    final class Attempts {
        private record Last(String route, String relay, String tls) {
        }

        private final MessageIds ids;
        private final String sender;
        private final Map<MailAddress, Last> last = new HashMap<>();

        private Attempts(MessageIds ids, String sender) {
            this.ids = ids;
            this.sender = sender;
        }

        /** A recipient on the suppression list, failed without an attempt. */
        void suppressed(RecipientResult result, Instant listedAt) {
            if (events.observed()) {
                events.publish(MessageEvent.of(clock.instant(), EventType.SUPPRESSED, ids.messageId(), ids.queueId(),
                    result.recipient().asString(), result.status(), Map.of("reply", result.explanation(), "listedAt", listedAt.toString())));
            }
        }

        /** One host's answers to the recipients tried there. */
        void tried(Route route, String relay, Optional<SSLSession> tls, List<RecipientResult> results) {
            if (!events.observed()) {
                return;
            }
            String routeText = route(route);
            String protocol = tls.map(SSLSession::getProtocol).orElse(NONE);
            for (RecipientResult result : results) {
                Map<String, String> details = new HashMap<>();
                details.put("relay", relay);
                details.put("tls", protocol);
                tls.ifPresent(session -> details.put("cipher", session.getCipherSuite()));
                details.put("reply", result.explanation());
                details.put("route", routeText);
                events.publish(MessageEvent.of(clock.instant(), EventType.ATTEMPT, ids.messageId(), ids.queueId(),
                    result.recipient().asString(), result.status(), details));
                last.put(result.recipient(), new Last(routeText, relay, protocol));
            }
        }

        /**
         * @param attempted the result of this attempt
         * @param settled the same after the retry policy, which may have turned a deferral into an expiry
         * @param queued since when the mail waits
         */
        void settled(RecipientResult attempted, RecipientResult settled, Duration queued) {
            if (!events.observed()) {
                return;
            }
            Last seen = last.getOrDefault(settled.recipient(), new Last("", NONE, NONE));
            Map<String, String> details = new HashMap<>();
            details.put("relay", seen.relay());
            details.put("reply", settled.explanation());
            details.put("route", seen.route());
            details.put("tls", seen.tls());
            details.put("delay", String.format(Locale.ROOT, "%d.%03d", queued.toSeconds(), queued.toMillisPart()));
            // The suppression list keeps a hard bounce per sender domain when asked to.
            details.put("sender", sender);
            events.publish(MessageEvent.of(clock.instant(), type(attempted, settled), ids.messageId(), ids.queueId(),
                settled.recipient().asString(), settled.status(), details));
        }
    }

    private final Events events;
    private final Clock clock;

    DeliveryEvents(Events events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    Attempts attempts(Mail mail) {
        return new Attempts(events.observed() ? MessageIds.of(mail) : new MessageIds("", mail.getName()), mail.getMaybeSender().asString(""));
    }

    /** The mail was written to the outgoing queue, to wait for its next attempt. */
    void queued(Mail mail) {
        if (events.observed()) {
            MessageIds ids = MessageIds.of(mail);
            events.publish(MessageEvent.of(clock.instant(), EventType.QUEUED, ids.messageId(), ids.queueId(),
                Map.of("retries", Integer.toString(DeliveryAttributes.retries(mail)))));
        }
    }

    private static EventType type(RecipientResult attempted, RecipientResult settled) {
        if (settled.outcome() == Outcome.DELIVERED) {
            return EventType.DELIVERED;
        }
        if (settled.outcome() == Outcome.DEFERRED) {
            return EventType.DEFERRED;
        }
        return attempted.outcome() == Outcome.DEFERRED ? EventType.EXPIRED : EventType.BOUNCED;
    }

    /** {@code direct}, or the smart hosts in failover order. */
    private static String route(Route route) {
        return route.direct() ? "direct" : String.join(", ", route.smartHosts().stream().map(DeliveryEvents::hop).toList());
    }

    private static String hop(NextHop hop) {
        return (hop.mxLookup() ? hop.host() : "[" + hop.host() + "]") + ":" + hop.port();
    }
}
