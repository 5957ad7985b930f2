package io.sendonly.deliver;

import java.util.List;

import javax.mail.MessagingException;

import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;

import io.sendonly.deliver.DeliveryAttributes.Report;

/**
 * Hands a copy of the mail, for the recipients concerned and with their results, to the bounce processor, whose
 * report mailet tells the sender and the admin. The one place where delivery triggers a report.
 */
final class Bouncer {
    private final MailetContext context;
    private final String processor;

    Bouncer(MailetContext context, String processor) {
        this.context = context;
        this.processor = processor;
    }

    void report(Mail mail, Report report, List<RecipientResult> results) throws MessagingException {
        Mail copy = mail.duplicate();
        copy.setRecipients(results.stream().map(RecipientResult::recipient).toList());
        DeliveryAttributes.report(copy, mail.getName(), report, results);
        try {
            context.sendMail(copy, processor);
        } finally {
            LifecycleUtil.dispose(copy);
        }
    }
}
