package io.sendonly.tlsrpt;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import javax.inject.Inject;
import javax.inject.Singleton;
import javax.mail.MessagingException;
import javax.mail.internet.AddressException;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.MailAddress;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.configuration.ConfigurationProvider;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sendonly.deliver.DeliveryAttributes;
import io.sendonly.deliver.HeloName;
import io.sendonly.dkim.TxtPresentation;
import io.sendonly.events.Events;
import io.sendonly.tls.TlsResults;
import io.sendonly.tls.rpt.PolicyCounts;
import io.sendonly.tls.rpt.TlsReportRecorder;
import io.sendonly.tls.rpt.TlsRptRecord;

/**
 * TLS-RPT (RFC 8460) for this server: delivery records each TLS negotiation through {@link #results()}; for each UTC
 * day that ended, {@link #sendEnded()} sends each policy domain one report, to the {@code rua} of its
 * {@code _smtp._tls} TXT record: by mail through the mailet pipeline (so it is DKIM-signed and routed like any
 * mail; null sender, and a failure to deliver it is logged, not reported back), and POSTed to {@code https:}
 * addresses (certificates checked against the JVM's trust store). A day's domain is then forgotten, once and for
 * all; only a report the pipeline did not take stays for the next run. Settings: {@link TlsRptSettings}.
 * Delivery gets {@link TlsResults#IGNORED} when reporting is disabled, and nothing is written.
 */
@Singleton
public class TlsReports {
    public static final String FILE = "var/tls-rpt/counts";
    private static final Logger LOGGER = LoggerFactory.getLogger(TlsReports.class);
    private static final Duration HTTPS_TIMEOUT = Duration.ofSeconds(30);

    /** The TXT records at a name, each as its text. */
    @FunctionalInterface
    public interface TxtLookup {
        List<String> txt(String name);
    }

    /**
     * What one report became.
     *
     * @param sentTo the {@code mailto:} addresses the pipeline took it for and the {@code https:} URIs that took it
     * @param problems why it went nowhere, or not everywhere
     */
    public record Outcome(LocalDate day, String domain, String reportId, List<String> sentTo, List<String> problems) {
    }

    private final TlsRptSettings settings;
    private final String submitter;
    private final Optional<TlsReportRecorder> recorder;
    private final TxtLookup dns;
    private final MailetContext mailetContext;
    private final Supplier<MailAddress> reportingAddress;
    private final HttpClient https;
    private final Clock clock;

    @Inject
    public TlsReports(ConfigurationProvider configuration, FileSystem fileSystem, DNSService dns, DomainList domainList,
                      MailetContext mailetContext, Clock clock) throws ConfigurationException, IOException {
        this(settings(configuration), HeloName.of(configuration), fileSystem.getBasedir().toPath().resolve(FILE),
            name -> dns.findTXTRecords(name).stream().map(TxtPresentation::text).toList(), mailetContext,
            () -> postmaster(domainList), HttpClient.newBuilder().connectTimeout(HTTPS_TIMEOUT).build(), clock);
    }

    /**
     * @param heloName the submitter unless the settings name one
     * @param defaultReportingAddress the From unless the settings name one
     * @param https the client for {@code https:} addresses; it decides which certificates are trusted
     */
    public TlsReports(TlsRptSettings settings, String heloName, Path file, TxtLookup dns, MailetContext mailetContext,
               Supplier<MailAddress> defaultReportingAddress, HttpClient https, Clock clock) throws IOException {
        this.settings = settings;
        this.submitter = settings.submitter().orElse(heloName);
        this.recorder = settings.enabled() ? Optional.of(TlsReportRecorder.open(file, clock)) : Optional.empty();
        this.dns = dns;
        this.mailetContext = mailetContext;
        this.reportingAddress = () -> settings.reportingAddress().orElseGet(defaultReportingAddress);
        this.https = https;
        this.clock = clock;
    }

    private static TlsRptSettings settings(ConfigurationProvider configuration) throws ConfigurationException {
        try {
            return TlsRptSettings.from(configuration.getConfiguration(Events.CONFIGURATION));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
    }

    private static MailAddress postmaster(DomainList domainList) {
        try {
            return new MailAddress("postmaster", domainList.getDefaultDomain());
        } catch (DomainListException | AddressException e) {
            throw new IllegalStateException("no default domain to send TLS reports from", e);
        }
    }

    public TlsRptSettings settings() {
        return settings;
    }

    /** Where delivery tells each TLS negotiation. */
    public TlsResults results() {
        return recorder.<TlsResults>map(active -> active).orElse(TlsResults.IGNORED);
    }

    /** The day (UTC) whose counts {@link #today()} gives. */
    public LocalDate day() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    /** Today's counts (UTC) by policy domain; none when disabled. */
    public Map<String, List<PolicyCounts>> today() {
        return recorder.map(active -> active.counts(day())).orElse(Map.of());
    }

    /** Writes what was recorded since the last flush. */
    public void flush() throws IOException {
        if (recorder.isPresent()) {
            recorder.get().flush();
        }
    }

    /** Sends the reports of every day that ended and was not reported yet; one at a time. */
    public synchronized List<Outcome> sendEnded() throws IOException {
        if (recorder.isEmpty()) {
            return List.of();
        }
        TlsReportRecorder counts = recorder.get();
        List<Outcome> outcomes = new ArrayList<>();
        for (LocalDate day : counts.endedDays()) {
            for (Map.Entry<String, List<PolicyCounts>> domain : counts.counts(day).entrySet()) {
                TlsReport report = new TlsReport(settings.organizationName().orElse(submitter),
                    settings.contactInfo().orElseGet(() -> reportingAddress.get().asString()), submitter, day, domain.getKey(),
                    domain.getValue());
                Optional<Outcome> outcome = send(report);
                if (outcome.isPresent()) {
                    outcomes.add(outcome.get());
                    counts.forget(day, domain.getKey());
                }
            }
        }
        counts.flush();
        return outcomes;
    }

    /** Empty when the pipeline did not take the mail: the report waits for the next run. */
    private Optional<Outcome> send(TlsReport report) {
        List<String> sentTo = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Optional<TlsRptRecord> record;
        try {
            record = TlsRptRecord.select(dns.txt(TlsRptRecord.dnsName(report.domain())));
        } catch (IllegalArgumentException e) {
            problems.add(TlsRptRecord.dnsName(report.domain()) + ": " + e.getMessage());
            return Optional.of(logged(report, sentTo, problems));
        }
        if (record.isEmpty()) {
            problems.add("no TLS-RPT record at " + TlsRptRecord.dnsName(report.domain()));
            return Optional.of(logged(report, sentTo, problems));
        }
        List<MailAddress> recipients = new ArrayList<>();
        for (String address : record.get().mailAddresses()) {
            try {
                recipients.add(new MailAddress(address));
            } catch (AddressException e) {
                problems.add("mailto:" + address + " is not a mail address");
            }
        }
        if (!recipients.isEmpty()) {
            try {
                mail(report, recipients);
                recipients.forEach(recipient -> sentTo.add("mailto:" + recipient.asString()));
            } catch (MessagingException e) {
                LOGGER.warn("TLS report {} for {}: the pipeline did not take it, next run tries again", report.reportId(), report.domain(), e);
                return Optional.empty();
            }
        }
        for (URI endpoint : record.get().httpsEndpoints()) {
            post(report, endpoint).ifPresentOrElse(problems::add, () -> sentTo.add(endpoint.toString()));
        }
        return Optional.of(logged(report, sentTo, problems));
    }

    private Outcome logged(TlsReport report, List<String> sentTo, List<String> problems) {
        Outcome outcome = new Outcome(report.day(), report.domain(), report.reportId(), List.copyOf(sentTo), List.copyOf(problems));
        LOGGER.info("TLS report {} on {} for {}: sent to {}{}", outcome.reportId(), outcome.day(), outcome.domain(), outcome.sentTo(),
            problems.isEmpty() ? "" : "; " + String.join("; ", problems));
        return outcome;
    }

    private void mail(TlsReport report, List<MailAddress> recipients) throws MessagingException {
        mailetContext.sendMail(MailImpl.builder()
            .name(MailImpl.getId())
            .sender(Optional.empty())
            .addRecipients(recipients)
            .mimeMessage(TlsReportMessage.of(report, reportingAddress.get(), recipients, Date.from(clock.instant())))
            .remoteAddr("127.0.0.1")
            .remoteHost("localhost")
            .addAttribute(new Attribute(DeliveryAttributes.IS_REPORT, AttributeValue.of(true)))
            .addAttribute(new Attribute(DeliveryAttributes.TLS_REPORT, AttributeValue.of(true)))
            .state(Mail.DEFAULT)
            .build());
    }

    /** RFC 8460 section 5.4: a POST of the gzip JSON; any 2xx answer takes it. The problem, if any. */
    private Optional<String> post(TlsReport report, URI endpoint) {
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(HTTPS_TIMEOUT)
            .header("Content-Type", TlsReportMessage.CONTENT_TYPE)
            .POST(HttpRequest.BodyPublishers.ofByteArray(report.gzip())).build();
        try {
            int status = https.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return status / 100 == 2 ? Optional.empty() : Optional.of(endpoint + " answered " + status);
        } catch (IOException e) {
            return Optional.of(endpoint + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(endpoint + ": interrupted");
        }
    }
}
