package io.sendonly.accept;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LimitRecipientsTest {
    @Test
    void noParameterShouldBeAccepted() {
        assertThatCode(() -> new LimitRecipients().init(new BaseConfiguration())).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "lots", "1e3"})
    void anInvalidLimitShouldBeRefusedNamingTheParameter(String value) {
        BaseConfiguration config = new BaseConfiguration();
        config.setProperty(LimitRecipients.MAX_RECIPIENTS, value);

        assertThatThrownBy(() -> new LimitRecipients().init(config)).isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("<maxRecipients> '" + value + "'");
    }
}
