package io.sendonly.suppress;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sendonly.events.BounceClass;
import io.sendonly.events.EventListener;
import io.sendonly.events.EventType;
import io.sendonly.events.MessageEvent;

/**
 * Lists the recipient of each hard bounce (the address or its domain does not exist): a {@link EventType#BOUNCED}
 * event of class {@link BounceClass#HARD}. Per sender domain when so configured, read from the event's
 * {@code sender} detail; a bounce of a null-sender mail then lists nothing, as no sender domain would be stopped.
 */
final class HardBounces implements EventListener {
    static final String SENDER = "sender";
    static final String REPLY = "reply";
    private static final Logger LOGGER = LoggerFactory.getLogger(HardBounces.class);

    private final SuppressionStore store;
    private final SuppressionSettings settings;
    private final Clock clock;

    HardBounces(SuppressionStore store, SuppressionSettings settings, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public void on(MessageEvent event) {
        if (event.type() != EventType.BOUNCED || event.bounceClass().filter(BounceClass.HARD::equals).isEmpty()
            || event.recipient().isEmpty()) {
            return;
        }
        Optional<String> senderDomain = Optional.empty();
        if (settings.perSenderDomain()) {
            String sender = event.details().getOrDefault(SENDER, "");
            if (sender.indexOf('@') < 0) {
                return;
            }
            senderDomain = Optional.of(sender.substring(sender.lastIndexOf('@') + 1));
        }
        Instant now = clock.instant();
        Suppression entry = new Suppression(event.recipient().get(), senderDomain, now, now.plus(settings.expiry()),
            event.status().orElse(""), event.details().getOrDefault(REPLY, ""));
        store.add(entry);
        LOGGER.info("{}: suppressed <{}>{} until {} after '{}'", event.queueId(), entry.address(),
            senderDomain.map(domain -> " for mail from " + domain).orElse(""), entry.expiresAt(), entry.reply());
    }
}
