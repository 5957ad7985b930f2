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

/** The shipped conf/events.xml loads, says what the defaults are, and the docs name each of its keys. */
class EventLogConfTest {
    @TempDir
    Path conf;

    @Test
    void shippedEventsXmlShouldLoadToTheDefaultsAndItsKeysBeDocumented() throws Exception {
        ShippedConf.copyTo(conf);
        XMLConfiguration events = new XMLConfiguration();
        new FileHandler(events).load(conf.resolve("events.xml").toFile());

        assertThat(EventLogSettings.from(events)).isEqualTo(EventLogSettings.DEFAULT);
        String docs = Files.readString(Path.of("../docs/observability.md"));
        assertThat(List.of(EventLogSettings.LOG, EventLogSettings.ENABLED, EventLogSettings.RETENTION, EventLogSettings.MAX_FILE_SIZE))
            .allMatch(docs::contains);
    }
}
