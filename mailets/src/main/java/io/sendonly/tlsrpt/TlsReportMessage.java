package io.sendonly.tlsrpt;

import java.util.Date;
import java.util.List;
import java.util.Properties;

import javax.activation.DataHandler;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.util.ByteArrayDataSource;

import org.apache.james.core.MailAddress;

/**
 * A TLS-RPT report as mail (RFC 8460 section 5.3): {@code multipart/report; report-type="tlsrpt"}, a text part
 * and the gzip JSON as an {@code application/tlsrpt+gzip} attachment, with the {@code TLS-Report-Domain} and
 * {@code TLS-Report-Submitter} headers and the subject the section prescribes.
 */
final class TlsReportMessage {
    static final String CONTENT_TYPE = "application/tlsrpt+gzip";
    private static final Session SESSION = Session.getInstance(new Properties());

    private TlsReportMessage() {
    }

    static MimeMessage of(TlsReport report, MailAddress from, List<MailAddress> to, Date date) throws MessagingException {
        MimeMessage message = new MimeMessage(SESSION);
        message.setFrom(from.toInternetAddress().orElseThrow());
        message.setRecipients(Message.RecipientType.TO,
            to.stream().map(address -> address.toInternetAddress().orElseThrow()).toArray(InternetAddress[]::new));
        message.setSentDate(date);
        message.setSubject("Report Domain: " + report.domain() + " Submitter: " + report.submitter()
            + " Report-ID: <" + report.reportId() + ">");
        message.setHeader("TLS-Report-Domain", report.domain());
        message.setHeader("TLS-Report-Submitter", report.submitter());
        message.setHeader("Auto-Submitted", "auto-generated");

        MimeBodyPart text = new MimeBodyPart();
        text.setText("This is an aggregate TLS report from " + report.submitter() + " on the mail it sent to "
            + report.domain() + " on " + report.day() + " (UTC).\r\n", "us-ascii");

        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setDataHandler(new DataHandler(new ByteArrayDataSource(report.gzip(), CONTENT_TYPE)));
        attachment.setFileName(report.fileName());
        attachment.setDisposition(MimeBodyPart.ATTACHMENT);

        MimeMultipart body = new MimeMultipart("report; report-type=\"tlsrpt\"");
        body.addBodyPart(text);
        body.addBodyPart(attachment);
        message.setContent(body);
        message.saveChanges();
        return message;
    }
}
