package io.sendonly.report;

import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

import javax.activation.DataHandler;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MailDateFormat;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.util.ByteArrayDataSource;

import org.apache.james.core.MailAddress;

import io.sendonly.deliver.RecipientResult;
import io.sendonly.events.BounceClass;

/**
 * Builds RFC 3464 delivery status notifications: {@code multipart/report; report-type=delivery-status} with a
 * human-readable part, a {@code message/delivery-status} part with one block per recipient, and the original
 * message ({@code message/rfc822}) or only its headers ({@code text/rfc822-headers}).
 */
final class DeliveryStatusNotification {
    private static final Session SESSION = Session.getInstance(new Properties());

    private final String reportingMta;
    private final MailAddress mailerDaemon;
    private final Instant arrival;
    private final List<RecipientResult> results;

    DeliveryStatusNotification(String reportingMta, MailAddress mailerDaemon, Instant arrival, List<RecipientResult> results) {
        this.reportingMta = reportingMta;
        this.mailerDaemon = mailerDaemon;
        this.arrival = arrival;
        this.results = results;
    }

    /** @param adminCopy the copy for the admin: its own subject, the original's headers only */
    MimeMessage failed(MailAddress to, byte[] original, boolean adminCopy) throws MessagingException {
        String text = "This is the mail system at " + reportingMta + ".\r\n\r\n"
            + "I'm sorry to have to inform you that your message could not\r\n"
            + "be delivered to one or more recipients. It's attached below.\r\n\r\n"
            + recipientLines();
        return build(to, adminCopy ? "Postmaster Copy: Undelivered Mail" : "Undelivered Mail Returned to Sender",
            text, "failed", original, !adminCopy);
    }

    MimeMessage delayed(MailAddress to, byte[] original) throws MessagingException {
        String text = "This is the mail system at " + reportingMta + ".\r\n\r\n"
            + "####################################################################\r\n"
            + "# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\r\n"
            + "####################################################################\r\n\r\n"
            + "Your message could not be delivered yet; the mail system will keep trying.\r\n\r\n"
            + recipientLines();
        return build(to, "Delayed Mail (still being retried)", text, "delayed", original, false);
    }

    private String recipientLines() {
        StringBuilder lines = new StringBuilder();
        for (RecipientResult result : results) {
            lines.append('<').append(result.recipient().asString()).append(">: ").append(result.diagnostic());
            bounceClass(result).ifPresent(name -> lines.append(" (").append(name).append(")"));
            lines.append("\r\n");
        }
        return lines.toString();
    }

    private MimeMessage build(MailAddress to, String subject, String text, String action, byte[] original, boolean wholeMessage)
        throws MessagingException {
        MimeMessage message = new MimeMessage(SESSION);
        try {
            message.setFrom(new InternetAddress(mailerDaemon.asString(), "Mail Delivery System", StandardCharsets.UTF_8.name()));
        } catch (UnsupportedEncodingException e) {
            throw new MessagingException("UTF-8", e);
        }
        message.setRecipient(Message.RecipientType.TO, to.toInternetAddress().orElseThrow());
        message.setSubject(subject, StandardCharsets.UTF_8.name());
        message.setSentDate(new Date());
        message.setHeader("Auto-Submitted", "auto-replied");

        MimeBodyPart human = new MimeBodyPart();
        human.setText(text, StandardCharsets.UTF_8.name());
        human.setHeader("Content-Description", "Notification");

        MimeBodyPart status = new MimeBodyPart();
        status.setDataHandler(new DataHandler(new ByteArrayDataSource(deliveryStatus(action).getBytes(StandardCharsets.US_ASCII),
            "message/delivery-status")));
        status.setHeader("Content-Description", "Delivery report");

        MimeBodyPart returned = new MimeBodyPart();
        byte[] content = wholeMessage ? original : headers(original);
        String type = wholeMessage ? "message/rfc822" : "text/rfc822-headers";
        returned.setDataHandler(new DataHandler(new ByteArrayDataSource(content, type)));
        returned.setHeader("Content-Description", wholeMessage ? "Undelivered Message" : "Message Headers");

        MimeMultipart report = new MimeMultipart("report; report-type=delivery-status");
        report.addBodyPart(human);
        report.addBodyPart(status);
        report.addBodyPart(returned);
        message.setContent(report);
        message.saveChanges();
        return message;
    }

    /** The per-message fields, then one block per recipient (RFC 3464 section 2). */
    private String deliveryStatus(String action) {
        MailDateFormat dates = new MailDateFormat();
        StringBuilder status = new StringBuilder()
            .append("Reporting-MTA: dns; ").append(reportingMta).append("\r\n")
            .append("Arrival-Date: ").append(dates.format(Date.from(arrival))).append("\r\n");
        String now = dates.format(new Date());
        for (RecipientResult result : results) {
            status.append("\r\n")
                .append("Final-Recipient: rfc822; ").append(result.recipient().asString()).append("\r\n")
                .append("Action: ").append(action).append("\r\n")
                .append("Status: ").append(result.status()).append("\r\n");
            if (!result.remoteMta().isEmpty()) {
                status.append("Remote-MTA: dns; ").append(result.remoteMta()).append("\r\n");
            }
            status.append("Diagnostic-Code: ").append(asciiOneLine(result.diagnostic())).append("\r\n")
                .append("Last-Attempt-Date: ").append(now).append("\r\n");
            // An RFC 3464 extension field: the class events and metrics use, for a receiver that sorts reports.
            bounceClass(result).ifPresent(name -> status.append("X-Sendonly-Bounce-Class: ").append(name).append("\r\n"));
        }
        return status.toString();
    }

    private static Optional<String> bounceClass(RecipientResult result) {
        return BounceClass.of(result.status(), result.diagnostic()).map(value -> value.name().toLowerCase(Locale.ROOT));
    }

    private static String asciiOneLine(String value) {
        return value.replaceAll("[\\r\\n]+", " ").replaceAll("[^\\x20-\\x7E]", "?");
    }

    private static byte[] headers(byte[] original) {
        for (int i = 0; i + 3 < original.length; i++) {
            if (original[i] == '\r' && original[i + 1] == '\n' && original[i + 2] == '\r' && original[i + 3] == '\n') {
                return Arrays.copyOf(original, i + 2);
            }
        }
        return original;
    }
}
