package io.sendonly.suppress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.time.Duration;

import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.commons.configuration2.XMLConfiguration;
import org.apache.commons.configuration2.io.FileHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SuppressionSettingsTest {
    private static XMLConfiguration events(String xml) throws Exception {
        XMLConfiguration configuration = new XMLConfiguration();
        new FileHandler(configuration).load(new StringReader(xml));
        return configuration;
    }

    @Test
    void fromShouldGiveTheDefaultsWithoutAnEventsFile() {
        assertThat(SuppressionSettings.from(new BaseHierarchicalConfiguration())).isEqualTo(SuppressionSettings.DEFAULTS);
        assertThat(SuppressionSettings.DEFAULTS).isEqualTo(new SuppressionSettings(true, Duration.ofDays(30), false));
    }

    @Test
    void fromShouldReadEveryElement() throws Exception {
        assertThat(SuppressionSettings.from(events("<events><suppression enabled=\"false\"><expiry>12h</expiry>"
            + "<perSenderDomain>true</perSenderDomain></suppression></events>")))
            .isEqualTo(new SuppressionSettings(false, Duration.ofHours(12), true));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "<suppression><expiry>soon</expiry></suppression>|events.xml: <suppression><expiry> 'soon': expected a number and ms, s, m, h, d or w, e.g. 5d",
        "<suppression><expiry>0d</expiry></suppression>|events.xml: <suppression><expiry> must be positive, got '0d'",
        "<suppression><perSenderDomain>yes</perSenderDomain></suppression>|events.xml: <suppression> perSenderDomain: expected true or false, got 'yes'",
        "<suppression enabled=\"no\"/>|events.xml: <suppression> @enabled: expected true or false, got 'no'",
        "<suppression><expires>1d</expires></suppression>|events.xml: <suppression> has an unknown element <expires>; expected one of [expiry, perSenderDomain]",
        "<suppression/><suppression/>|events.xml: <suppression> appears 2 times"})
    void fromShouldRefuseABadValueNamingTheElement(String section, String message) throws Exception {
        assertThatThrownBy(() -> SuppressionSettings.from(events("<events>" + section + "</events>")))
            .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
