package io.sendonly.tlsrpt;

import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;

import javax.mail.internet.AddressException;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.core.MailAddress;

import io.sendonly.events.EventsSection;

/**
 * The {@code <tlsrpt>} section of {@code events.xml}: TLS-RPT (RFC 8460) daily reports. Absent, the defaults:
 * <pre>{@code
 * <tlsrpt enabled="true">
 *     <organizationName>mail.example.com</organizationName>  <!-- default: the submitter -->
 *     <contactInfo>postmaster@example.com</contactInfo>      <!-- default: the reporting address -->
 *     <submitter>mail.example.com</submitter>                <!-- default: the HELO name -->
 *     <reportingAddress>tlsrpt@example.com</reportingAddress><!-- default: postmaster@<default domain> -->
 *     <sendAt>00:30</sendAt>                                 <!-- UTC, default 00:30 -->
 * </tlsrpt>
 * }</pre>
 * It sits in {@code events.xml} beside {@code <suppression>} because, like the suppression list, the reports are
 * one service of the whole server (delivery records, a daily task and webadmin send), not a parameter of one mailet.
 *
 * @param reportingAddress the From of the reports; empty for {@code postmaster@} the default domain, read when
 *     sending since webadmin may change the default domain
 */
public record TlsRptSettings(boolean enabled, Optional<String> organizationName, Optional<String> contactInfo,
                             Optional<String> submitter, Optional<MailAddress> reportingAddress, LocalTime sendAt) {
    public static final String SECTION = "tlsrpt";
    public static final String ENABLED = "enabled";
    public static final String ORGANIZATION_NAME = "organizationName";
    public static final String CONTACT_INFO = "contactInfo";
    public static final String SUBMITTER = "submitter";
    public static final String REPORTING_ADDRESS = "reportingAddress";
    public static final String SEND_AT = "sendAt";
    public static final TlsRptSettings DEFAULTS = new TlsRptSettings(true, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), LocalTime.of(0, 30));
    private static final Set<String> ELEMENTS = Set.of(ORGANIZATION_NAME, CONTACT_INFO, SUBMITTER, REPORTING_ADDRESS, SEND_AT);

    /**
     * @param events the whole {@code events.xml}, empty when the file is absent
     * @throws IllegalArgumentException naming the element and what was expected
     */
    public static TlsRptSettings from(HierarchicalConfiguration<ImmutableNode> events) {
        Optional<HierarchicalConfiguration<ImmutableNode>> found = EventsSection.of(events, SECTION, ELEMENTS, Set.of(ENABLED));
        if (found.isEmpty()) {
            return DEFAULTS;
        }
        HierarchicalConfiguration<ImmutableNode> section = found.get();
        String enabled = section.getString("[@" + ENABLED + "]", "true").trim();
        if (!enabled.equals("true") && !enabled.equals("false")) {
            throw problem(ENABLED + "=\"" + enabled + "\": expected true or false");
        }
        return new TlsRptSettings(enabled.equals("true"), text(section, ORGANIZATION_NAME), text(section, CONTACT_INFO),
            text(section, SUBMITTER).map(TlsRptSettings::hostName),
            text(section, REPORTING_ADDRESS).map(TlsRptSettings::address),
            text(section, SEND_AT).map(TlsRptSettings::time).orElse(DEFAULTS.sendAt()));
    }

    private static Optional<String> text(HierarchicalConfiguration<ImmutableNode> section, String element) {
        String value = section.getString(element);
        if (value != null && value.isBlank()) {
            throw problem("<" + element + "> is empty; leave it out for the default");
        }
        return Optional.ofNullable(value).map(String::trim);
    }

    private static String hostName(String value) {
        if (!value.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?")) {
            throw problem("<" + SUBMITTER + "> '" + value + "': expected a host name");
        }
        return value;
    }

    private static MailAddress address(String value) {
        try {
            return new MailAddress(value);
        } catch (AddressException e) {
            throw problem("<" + REPORTING_ADDRESS + "> '" + value + "': expected a mail address");
        }
    }

    private static LocalTime time(String value) {
        try {
            return LocalTime.parse(value);
        } catch (DateTimeParseException e) {
            throw problem("<" + SEND_AT + "> '" + value + "': expected a UTC time HH:MM, e.g. 00:30");
        }
    }

    private static IllegalArgumentException problem(String text) {
        return new IllegalArgumentException("events.xml: <" + SECTION + "> " + text);
    }
}
