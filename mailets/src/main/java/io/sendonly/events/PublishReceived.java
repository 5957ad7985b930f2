package io.sendonly.events;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

import io.sendonly.check.ClientIsTrusted;
import io.sendonly.deliver.DeliveryAttributes;

/**
 * Publishes the {@link EventType#RECEIVED} event of each mail entering the pipeline: from an SMTP client (detail
 * {@code client}, its address) or from the maildrop (detail {@code uid}, the submitter's). Our own delivery reports
 * pass in silence: their {@code REPORTED} event tells of them. Place it first in the root processor.
 * <pre>{@code
 * <mailet match="All" class="io.sendonly.events.PublishReceived"/>
 * }</pre>
 */
public class PublishReceived extends GenericMailet {
    private final Events events;
    private final Clock clock;

    @Inject
    public PublishReceived(Events events) {
        this(events, Clock.systemUTC());
    }

    PublishReceived(Events events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    @Override
    public String getMailetInfo() {
        return "Publishes the received event of each mail";
    }

    @Override
    public void init() throws MessagingException {
        checkInitParameters(Set.of());
    }

    @Override
    public void service(Mail mail) {
        if (!events.observed() || mail.getAttribute(DeliveryAttributes.IS_REPORT).isPresent()) {
            return;
        }
        Optional<String> uid = mail.getAttribute(ClientIsTrusted.LOCAL_SUBMITTER).map(attribute -> String.valueOf(attribute.getValue().value()));
        Map<String, String> details = uid.isPresent()
            ? Map.of("uid", uid.get(), "sender", mail.getMaybeSender().asString(""))
            : Map.of("client", Objects.toString(mail.getRemoteAddr(), ""), "sender", mail.getMaybeSender().asString(""));
        MessageIds ids = MessageIds.of(mail);
        events.publish(MessageEvent.of(clock.instant(), EventType.RECEIVED, ids.messageId(), ids.queueId(), details));
    }
}
