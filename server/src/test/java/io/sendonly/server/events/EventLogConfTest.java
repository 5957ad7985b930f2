package io.sendonly.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.commons.configuration2.XMLConfiguration;
import org.apache.commons.configuration2.io.FileHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sendonly.events.log.EventLogSettings;
import io.sendonly.server.testing.ShippedConf;
import io.sendonly.tlsrpt.TlsRptSettings;

/** The shipped conf/events.xml loads, says what the defaults are, and the docs name each of its keys. */
class EventLogConfTest {
    @TempDir
    Path conf;

    private XMLConfiguration shippedEventsXml() throws Exception {
        ShippedConf.copyTo(conf);
        XMLConfiguration events = new XMLConfiguration();
        new FileHandler(events).load(conf.resolve("events.xml").toFile());
        return events;
    }

    @Test
    void shippedEventsXmlShouldLoadToTheDefaultsAndItsKeysBeDocumented() throws Exception {
        assertThat(EventLogSettings.from(shippedEventsXml())).isEqualTo(EventLogSettings.DEFAULT);
        String docs = Files.readString(Path.of("../docs/observability.md"));
        assertThat(List.of(EventLogSettings.LOG, EventLogSettings.ENABLED, EventLogSettings.RETENTION, EventLogSettings.MAX_FILE_SIZE))
            .allMatch(docs::contains);
    }

    @Test
    void shippedTlsRptSectionShouldLoadToTheDefaultsAndItsKeysBeDocumented() throws Exception {
        assertThat(TlsRptSettings.from(shippedEventsXml())).isEqualTo(TlsRptSettings.DEFAULTS);
        String docs = Files.readString(Path.of("../docs/tls.md"));
        assertThat(List.of(TlsRptSettings.SECTION, TlsRptSettings.ENABLED, TlsRptSettings.ORGANIZATION_NAME, TlsRptSettings.CONTACT_INFO,
            TlsRptSettings.SUBMITTER, TlsRptSettings.REPORTING_ADDRESS, TlsRptSettings.SEND_AT)).allMatch(docs::contains);
    }
}
