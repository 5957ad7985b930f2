package io.sendonly.tlsrpt;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sendonly.tls.rpt.FailureDetail;
import io.sendonly.tls.rpt.PolicyCounts;

/**
 * One day's TLS-RPT report on one policy domain (RFC 8460 section 4), as JSON and as the gzip attachment that goes
 * out. Its id is derived from submitter, domain and day, so that a report sent again (after a crash before its
 * sending was recorded) carries the same id and a receiver can drop the copy.
 */
public record TlsReport(String organizationName, String contactInfo, String submitter, LocalDate day, String domain,
                        List<PolicyCounts> policies) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public TlsReport {
        policies = List.copyOf(policies);
    }

    /** Letters and digits only, as the attachment name's unique-id must be (RFC 8460 section 5.3). */
    public String uniqueId() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest((submitter + "!" + domain + "!" + day).getBytes(StandardCharsets.UTF_8));
            return day.format(DateTimeFormatter.BASIC_ISO_DATE) + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public String reportId() {
        return uniqueId() + "@" + submitter;
    }

    /** {@code submitter!policy-domain!begin-timestamp!end-timestamp!unique-id.json.gz} (RFC 8460 section 5.3). */
    public String fileName() {
        return String.join("!", submitter, domain, Long.toString(begin()), Long.toString(end()), uniqueId()) + ".json.gz";
    }

    private long begin() {
        return day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    }

    private long end() {
        return day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond() - 1;
    }

    public byte[] json() {
        ObjectNode report = JSON.createObjectNode();
        report.put("organization-name", organizationName);
        ObjectNode range = report.putObject("date-range");
        range.put("start-datetime", DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(begin())));
        range.put("end-datetime", DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(end())));
        report.put("contact-info", contactInfo);
        report.put("report-id", reportId());
        ArrayNode entries = report.putArray("policies");
        for (PolicyCounts counts : policies) {
            ObjectNode entry = entries.addObject();
            ObjectNode policy = entry.putObject("policy");
            policy.put("policy-type", counts.policy().type().rfcName());
            if (!counts.policy().strings().isEmpty()) {
                counts.policy().strings().forEach(policy.putArray("policy-string")::add);
            }
            policy.put("policy-domain", counts.policy().domain());
            if (!counts.policy().mxHosts().isEmpty()) {
                counts.policy().mxHosts().forEach(policy.putArray("mx-host")::add);
            }
            ObjectNode summary = entry.putObject("summary");
            summary.put("total-successful-session-count", counts.successes());
            summary.put("total-failure-session-count", counts.failureCount());
            if (!counts.failures().isEmpty()) {
                ArrayNode details = entry.putArray("failure-details");
                counts.failures().forEach(failure -> detail(details.addObject(), failure));
            }
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(report);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void detail(ObjectNode detail, FailureDetail failure) {
        detail.put("result-type", failure.type().rfcName());
        if (!failure.receivingIp().isEmpty()) {
            detail.put("receiving-ip", failure.receivingIp());
        }
        if (!failure.receivingMxHostname().isEmpty()) {
            detail.put("receiving-mx-hostname", failure.receivingMxHostname());
        }
        detail.put("failed-session-count", failure.sessions());
        if (failure.reason() != null && !failure.reason().isBlank()) {
            detail.put("failure-reason-code", failure.reason());
        }
    }

    public byte[] gzip() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(json());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
