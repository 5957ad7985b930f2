package io.sendonly.report;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.AddressException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetException;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sendonly.deliver.DeliveryAttributes;
import io.sendonly.deliver.DeliveryAttributes.Report;
import io.sendonly.deliver.RecipientResult;
import io.sendonly.events.EventType;
import io.sendonly.events.Events;
import io.sendonly.events.MessageEvent;
import io.sendonly.events.MessageIds;
import io.sendonly.mime.MessageBytes;

/**
 * Tells people what delivery could not do, with RFC 3464 reports ({@code multipart/report}) from
 * {@code MAILER-DAEMON@<default domain>} and the null sender:
 * <ul>
 *   <li>failed recipients: a DSN to the sender with the whole message, and a copy with headers only to the admin;</li>
 *   <li>failed mail from the null sender (itself a report): the DSN to the admin only, so that reports never loop;</li>
 *   <li>a report of ours that fails: logged, not reported again (Postfix discards such double bounces);</li>
 *   <li>delayed recipients: a warning to the sender, with headers only; the copy then ends here (ghost).</li>
 * </ul>
 * Mail without a delivery report passes untouched. Place it first in the processor {@code RouteDelivery} names as
 * {@code bounceProcessor}, before the repository keeping failed mail for reprocessing.
 * <pre>{@code
 * <mailet match="All" class="io.sendonly.report.ReportDeliveryStatus">
 *     <adminAddress>ops@example.com</adminAddress>  <!-- optional: the <postmaster> of mailetcontainer.xml -->
 *     <reportingMta>mail.example.com</reportingMta>  <!-- optional: the default domain -->
 * </mailet>
 * }</pre>
 */
public class ReportDeliveryStatus extends GenericMailet {
    public static final String ADMIN_ADDRESS = "adminAddress";
    public static final String REPORTING_MTA = "reportingMta";
    private static final Set<String> PARAMETERS = Set.of(ADMIN_ADDRESS, REPORTING_MTA);
    private static final Logger LOGGER = LoggerFactory.getLogger(ReportDeliveryStatus.class);

    private final DomainList domainList;
    private final Events events;
    private final Clock clock;
    private Optional<MailAddress> configuredAdmin;
    /** Empty: the default domain, read per report since webadmin may change it. */
    private Optional<String> configuredReportingMta;

    @Inject
    public ReportDeliveryStatus(DomainList domainList, Events events) {
        this(domainList, events, Clock.systemUTC());
    }

    ReportDeliveryStatus(DomainList domainList, Events events, Clock clock) {
        this.domainList = domainList;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public String getMailetInfo() {
        return "RFC 3464 delivery status notifications to the sender and the admin";
    }

    @Override
    public void init() throws MessagingException {
        checkInitParameters(PARAMETERS);
        try {
            configuredAdmin = Optional.ofNullable(getInitParameter(ADMIN_ADDRESS)).filter(value -> !value.isBlank())
                .map(value -> address(value.trim(), ADMIN_ADDRESS));
            configuredReportingMta = Optional.ofNullable(getInitParameter(REPORTING_MTA)).map(String::trim).filter(value -> !value.isEmpty());
            domainList.getDefaultDomain();
        } catch (IllegalArgumentException | DomainListException e) {
            throw new MailetException(getMailetName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        Optional<Report> report = DeliveryAttributes.report(mail);
        if (report.isEmpty()) {
            return;
        }
        List<RecipientResult> results = DeliveryAttributes.results(mail);
        Instant arrival = DeliveryAttributes.queuedAt(mail).orElseGet(Instant::now);
        MailAddress admin = configuredAdmin.orElseGet(() -> getMailetContext().getPostmaster());
        String defaultDomain;
        try {
            defaultDomain = domainList.getDefaultDomain().asString();
        } catch (DomainListException e) {
            throw new MailetException(getMailetName() + ": no default domain", e);
        }
        DeliveryStatusNotification notification = new DeliveryStatusNotification(configuredReportingMta.orElse(defaultDomain),
            address("MAILER-DAEMON@" + defaultDomain, "default domain"), arrival, results);
        byte[] original = MessageBytes.of(mail.getMessage());
        if (report.get() == Report.DELAYED) {
            Optional<MailAddress> sender = mail.getMaybeSender().asOptional();
            if (sender.isPresent()) {
                send(notification.delayed(sender.get(), original), sender.get());
                reported(mail, report.get(), sender.get());
            }
            mail.setState(Mail.GHOST);
            return;
        }
        if (mail.getAttribute(DeliveryAttributes.IS_REPORT).isPresent()) {
            LOGGER.error("{}: a delivery report could not be delivered to {}; not reported again", mail.getName(), mail.getRecipients());
            return;
        }
        Optional<MailAddress> sender = mail.getMaybeSender().asOptional();
        if (sender.isPresent()) {
            send(notification.failed(sender.get(), original, false), sender.get());
            reported(mail, report.get(), sender.get());
            send(notification.failed(admin, original, true), admin);
        } else {
            send(notification.failed(admin, original, false), admin);
        }
        reported(mail, report.get(), admin);
    }

    private void reported(Mail mail, Report report, MailAddress to) {
        if (events.observed()) {
            MessageIds ids = MessageIds.of(mail);
            events.publish(MessageEvent.of(clock.instant(), EventType.REPORTED, ids.messageId(), DeliveryAttributes.reportedMail(mail),
                Map.of("report", report.name().toLowerCase(Locale.ROOT), "to", to.asString())));
        }
    }

    private void send(MimeMessage report, MailAddress recipient) throws MessagingException {
        getMailetContext().sendMail(MailImpl.builder()
            .name(MailImpl.getId())
            .sender(Optional.empty())
            .addRecipient(recipient)
            .mimeMessage(report)
            .remoteAddr("127.0.0.1")
            .remoteHost("localhost")
            .addAttribute(new Attribute(DeliveryAttributes.IS_REPORT, AttributeValue.of(true)))
            .build());
    }

    private static MailAddress address(String value, String parameter) {
        try {
            return new MailAddress(value);
        } catch (AddressException e) {
            throw new IllegalArgumentException("<" + parameter + "> '" + value + "' is not a mail address", e);
        }
    }
}
