package io.sendonly.events.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.time.Duration;

import org.apache.commons.configuration2.XMLConfiguration;
import org.apache.commons.configuration2.io.FileHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventLogSettingsTest {
    @Test
    void fromShouldGiveTheDefaultsWhenTheFileIsAbsent() throws Exception {
        assertThat(EventLogSettings.from(new XMLConfiguration())).isEqualTo(new EventLogSettings(true, Duration.ofDays(7), 100L << 20));
    }

    @Test
    void fromShouldReadTheLogSection() throws Exception {
        EventLogSettings settings = EventLogSettings.from(xml(
            "<events><log enabled='false'><retention>30d</retention><maxFileSize>10k</maxFileSize></log><webhooks/></events>"));

        assertThat(settings).isEqualTo(new EventLogSettings(false, Duration.ofDays(30), 10L << 10));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "<log><retention>7 days</retention></log>|<log><retention> '7 days'",
        "<log><maxFileSize>0</maxFileSize></log>|<log><maxFileSize> '0'",
        "<log><rotation>daily</rotation></log>|<log><rotation> is unknown",
        "<log enabled='yes'/>|enabled=\"yes\"",
        "<log><retention>0d</retention></log>|<retention> must be positive"})
    void fromShouldRefuseABadValueNamingTheElement(String section, String message) throws Exception {
        assertThatThrownBy(() -> EventLogSettings.from(xml("<events>" + section + "</events>")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("events.xml")
            .hasMessageContaining(message);
    }

    private static XMLConfiguration xml(String text) throws Exception {
        XMLConfiguration configuration = new XMLConfiguration();
        new FileHandler(configuration).load(new StringReader(text));
        return configuration;
    }
}
