package io.sendonly.deliver;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import javax.mail.internet.AddressException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

/**
 * What delivery records on a mail, so that it survives the queue between attempts and reaches the report
 * mailet: when the mail was first queued, how many retries it had, whether the sender was warned, and for a mail
 * handed to the bounce processor, the report kind and each recipient's result.
 */
public final class DeliveryAttributes {
    /** The kind of report a mail in the bounce processor asks for. */
    public enum Report {
        /** Some recipients failed for good: DSN to the sender, notice to the admin. */
        FAILED,
        /** Still being retried: a warning to the sender. */
        DELAYED
    }

    public static final AttributeName QUEUED_AT = AttributeName.of("io.sendonly.deliver.queuedAt");
    public static final AttributeName RETRIES = AttributeName.of("io.sendonly.deliver.retries");
    public static final AttributeName WARNED = AttributeName.of("io.sendonly.deliver.delayWarned");
    public static final AttributeName REPORT = AttributeName.of("io.sendonly.deliver.report");
    public static final AttributeName RESULTS = AttributeName.of("io.sendonly.deliver.results");
    /** The queue id of the mail a report is about: the copy handed to the report mailet has a name of its own. */
    public static final AttributeName REPORTED_MAIL = AttributeName.of("io.sendonly.deliver.reportedMail");
    /** Set by the report mailet on the reports it sends: a report that fails is not reported again (no loops). */
    public static final AttributeName IS_REPORT = AttributeName.of("io.sendonly.report.generated");
    /** Set on TLS-RPT report mail, which direct delivery sends despite the recipient's TLS policy (RFC 8460 section 5.3). */
    public static final AttributeName TLS_REPORT = AttributeName.of("io.sendonly.tlsrpt.report");
    private static final String SEPARATOR = "\t";

    private DeliveryAttributes() {
    }

    public static Optional<Instant> queuedAt(Mail mail) {
        return mail.getAttribute(QUEUED_AT).flatMap(attribute -> attribute.getValue().valueAs(Long.class)).map(Instant::ofEpochMilli);
    }

    /**
     * A mail entering delivery: queued now, no retries, no warning, no report, no deferral reason (the error
     * message), whatever it went through before.
     */
    static void startOver(Mail mail, Instant now) {
        mail.setAttribute(new Attribute(QUEUED_AT, AttributeValue.of(now.toEpochMilli())));
        List.of(RETRIES, WARNED, REPORT, RESULTS, REPORTED_MAIL).forEach(mail::removeAttribute);
        mail.setErrorMessage(null);
    }

    /** The attempts that deferred the mail so far. */
    public static int retries(Mail mail) {
        return mail.getAttribute(RETRIES).flatMap(attribute -> attribute.getValue().valueAs(Integer.class)).orElse(0);
    }

    static void retries(Mail mail, int retries) {
        mail.setAttribute(new Attribute(RETRIES, AttributeValue.of(retries)));
    }

    static boolean warned(Mail mail) {
        return mail.getAttribute(WARNED).flatMap(attribute -> attribute.getValue().valueAs(Boolean.class)).orElse(false);
    }

    static void markWarned(Mail mail) {
        mail.setAttribute(new Attribute(WARNED, AttributeValue.of(true)));
    }

    public static Optional<Report> report(Mail mail) {
        return mail.getAttribute(REPORT).flatMap(attribute -> attribute.getValue().valueAs(String.class)).map(Report::valueOf);
    }

    /** The name of the mail a report is about; the mail's own name when it is not a report copy. */
    public static String reportedMail(Mail mail) {
        return mail.getAttribute(REPORTED_MAIL).flatMap(attribute -> attribute.getValue().valueAs(String.class)).orElse(mail.getName());
    }

    static void report(Mail mail, String reportedMail, Report report, List<RecipientResult> results) {
        mail.setAttribute(new Attribute(REPORT, AttributeValue.of(report.name())));
        mail.setAttribute(new Attribute(REPORTED_MAIL, AttributeValue.of(reportedMail)));
        List<AttributeValue<?>> encoded = results.stream()
            .<AttributeValue<?>>map(result -> AttributeValue.of(String.join(SEPARATOR, result.recipient().asString(),
                result.outcome().name(), result.status(), result.remoteMta(), result.diagnostic())))
            .toList();
        mail.setAttribute(new Attribute(RESULTS, AttributeValue.of(encoded)));
    }

    public static List<RecipientResult> results(Mail mail) {
        return mail.getAttribute(RESULTS)
            .flatMap(attribute -> attribute.getValue().valueAs(Collection.class))
            .map(values -> ((Collection<?>) values).stream()
                .map(value -> decode((String) ((AttributeValue<?>) value).getValue()))
                .toList())
            .orElse(List.of());
    }

    private static RecipientResult decode(String encoded) {
        String[] fields = encoded.split(SEPARATOR, 5);
        try {
            return new RecipientResult(new MailAddress(fields[0]), RecipientResult.Outcome.valueOf(fields[1]), fields[2], fields[3], fields[4]);
        } catch (AddressException e) {
            throw new IllegalStateException("recorded recipient '" + fields[0] + "' is not an address", e);
        }
    }
}
