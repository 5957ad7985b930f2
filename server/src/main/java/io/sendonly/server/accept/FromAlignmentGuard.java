package io.sendonly.server.accept;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.inject.Inject;
import javax.inject.Singleton;
import javax.mail.MessagingException;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.server.core.configuration.ConfigurationProvider;
import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sendonly.conf.DeclaredComponents;
import io.sendonly.dkim.SigningKey;
import io.sendonly.events.EventType;
import io.sendonly.events.Events;
import io.sendonly.events.MessageEvent;
import io.sendonly.events.MessageIds;
import io.sendonly.qualify.QualifyBareAddresses;
import io.sendonly.sign.FromAlignment;
import io.sendonly.sign.FromHeader;
import io.sendonly.sign.SignDkim;
import io.sendonly.sign.SigningLookup;
import io.sendonly.sign.SigningLookups;

/**
 * Judges, before mail enters the pipeline, whether its From domains will align under DMARC when it leaves
 * ({@link FromAlignment}): the keys are those SignDkim will sign with, asked of the very {@link SigningLookup} the
 * first SignDkim of {@code mailetcontainer.xml} signs by ({@link SigningLookups}: same tables, reloaded once), the From header
 * qualified as QualifyBareAddresses will qualify it. Reports mail that cannot align: a WARN line and an
 * {@link EventType#UNALIGNED} event. Shared by the SMTP handler {@link CheckFromAlignment} and the maildrop pickup.
 */
@Singleton
public class FromAlignmentGuard {
    private static final Logger LOGGER = LoggerFactory.getLogger(FromAlignmentGuard.class);

    private final Optional<SigningLookup> signing;
    private final Optional<String> qualifyingDomain;
    private final AlignmentMode pickupMode;
    private final DomainList domainList;
    private final Events events;
    private final Clock clock;

    @Inject
    public FromAlignmentGuard(ConfigurationProvider configuration, SigningLookups lookups, DomainList domainList, Events events, Clock clock)
        throws ConfigurationException, MessagingException {
        DeclaredComponents mailets = DeclaredComponents.mailets(configuration);
        Optional<DeclaredComponents.Parameters> signDkim = mailets.first(SignDkim.class.getName());
        this.signing = signDkim.isPresent()
            ? Optional.of(lookups.get(SignDkim.class.getSimpleName(), signDkim.get()::get))
            : Optional.empty();
        this.qualifyingDomain = mailets.parameter(QualifyBareAddresses.class.getName(), QualifyBareAddresses.DEFAULT_DOMAIN);
        this.pickupMode = pickupMode(configuration);
        this.domainList = domainList;
        this.events = events;
        this.clock = clock;
    }

    /** The mode of the first CheckFromAlignment in smtpserver.xml; off when there is none. */
    private static AlignmentMode pickupMode(ConfigurationProvider configuration) throws ConfigurationException {
        Optional<DeclaredComponents.Parameters> handler = DeclaredComponents.smtpHandlers(configuration).first(CheckFromAlignment.class.getName());
        try {
            return handler.map(parameters -> parameters.get(CheckFromAlignment.MODE)
                .map(value -> AlignmentMode.parse(value, CheckFromAlignment.class.getSimpleName() + " <" + CheckFromAlignment.MODE + ">"))
                .orElse(AlignmentMode.DEFAULT)).orElse(AlignmentMode.OFF);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("smtpserver.xml: " + e.getMessage(), e);
        }
    }

    public FromAlignment.Verdict judge(Mail mail) throws MessagingException {
        FromHeader from = FromHeader.of(mail.getMessage());
        Optional<String> domain = defaultDomain(mail);
        if (domain.isPresent()) {
            from = from.qualified(domain.get());
        }
        FromHeader qualified = from;
        List<String> keyDomains = signing.map(lookup -> lookup.decide(qualified, mail.getMaybeSender()).keys().stream()
            .map(SigningKey::domain).toList()).orElse(List.of());
        return FromAlignment.judge(qualified, keyDomains, mail.getMaybeSender());
    }

    /** The WARN line and the event of mail that cannot align. */
    public void report(Mail mail, FromAlignment.Verdict verdict, boolean refused, Map<String, String> origin) {
        String sender = mail.getMaybeSender().asString("");
        String problem = verdict.problem().orElseThrow();
        LOGGER.warn("{} from <{}> {}: {}", mail.getName(), sender,
            refused ? "refused" : "accepted, but receivers will likely file it as spam or reject it", problem);
        if (events.observed()) {
            Map<String, String> details = new LinkedHashMap<>(origin);
            details.put("from", verdict.fromDomains());
            details.put("sender", sender);
            details.put("reason", problem);
            details.put("action", refused ? "refused" : "accepted");
            MessageIds ids = MessageIds.of(mail);
            events.publish(MessageEvent.of(clock.instant(), EventType.UNALIGNED, ids.messageId(), ids.queueId(), details));
        }
    }

    /**
     * Mail the maildrop pickup is about to queue: it cannot be refused (its sendmail exited long ago), so it is
     * reported as in {@code log} mode unless the SMTP handler's mode is {@code off}.
     */
    public void atPickup(Mail mail, String uid) throws MessagingException {
        if (pickupMode == AlignmentMode.OFF) {
            return;
        }
        FromAlignment.Verdict verdict = judge(mail);
        if (!verdict.aligned()) {
            report(mail, verdict, false, Map.of("uid", uid));
        }
    }

    private Optional<String> defaultDomain(Mail mail) {
        if (qualifyingDomain.isPresent()) {
            return qualifyingDomain;
        }
        try {
            return Optional.of(domainList.getDefaultDomain().asString());
        } catch (DomainListException e) {
            LOGGER.debug("{}: no default domain for bare From addresses", mail.getName(), e);
            return Optional.empty();
        }
    }
}
