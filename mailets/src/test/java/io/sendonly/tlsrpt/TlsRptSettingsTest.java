package io.sendonly.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.time.LocalTime;
import java.util.Optional;

import org.apache.commons.configuration2.XMLConfiguration;
import org.apache.commons.configuration2.io.FileHandler;
import org.apache.james.core.MailAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TlsRptSettingsTest {
    private static XMLConfiguration xml(String content) throws Exception {
        XMLConfiguration configuration = new XMLConfiguration();
        new FileHandler(configuration).load(new StringReader("<events>" + content + "</events>"));
        return configuration;
    }

    @Test
    void fromShouldGiveTheDefaultsWithoutSection() throws Exception {
        assertThat(TlsRptSettings.from(xml(""))).isEqualTo(TlsRptSettings.DEFAULTS);
        assertThat(TlsRptSettings.DEFAULTS.enabled()).isTrue();
        assertThat(TlsRptSettings.DEFAULTS.sendAt()).isEqualTo(LocalTime.of(0, 30));
    }

    @Test
    void fromShouldReadEveryElement() throws Exception {
        TlsRptSettings settings = TlsRptSettings.from(xml("<tlsrpt enabled=\"false\"><organizationName>Example Ltd</organizationName>"
            + "<contactInfo>https://example.com/contact</contactInfo><submitter>mail.example.com</submitter>"
            + "<reportingAddress>tlsrpt@example.com</reportingAddress><sendAt>02:15</sendAt></tlsrpt>"));

        assertThat(settings).isEqualTo(new TlsRptSettings(false, Optional.of("Example Ltd"), Optional.of("https://example.com/contact"),
            Optional.of("mail.example.com"), Optional.of(new MailAddress("tlsrpt@example.com")), LocalTime.of(2, 15)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "<tlsrpt enabled=\"yes\"/>",
        "<tlsrpt on=\"true\"/>",
        "<tlsrpt><sendAt>25:00</sendAt></tlsrpt>",
        "<tlsrpt><reportingAddress>not an address</reportingAddress></tlsrpt>",
        "<tlsrpt><submitter>bad name!</submitter></tlsrpt>",
        "<tlsrpt><contactInfo> </contactInfo></tlsrpt>",
        "<tlsrpt><rua>mailto:x@example.com</rua></tlsrpt>",
        "<tlsrpt/><tlsrpt/>"
    })
    void fromShouldRefuseWhatItCannotUse(String section) throws Exception {
        assertThatThrownBy(() -> TlsRptSettings.from(xml(section)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("events.xml: <tlsrpt>");
    }
}
