package io.sendonly.server.accept;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ListenerLimitsTest {
    @Test
    void unsetParametersShouldHavePostfixDefaults() throws Exception {
        assertThat(ListenerLimits.from(new BaseHierarchicalConfiguration())).isEqualTo(new ListenerLimits(100, 50, 1024 * 1024));
    }

    @Test
    void zeroShouldMeanNoConnectionLimit() throws Exception {
        BaseHierarchicalConfiguration config = new BaseHierarchicalConfiguration();
        config.setProperty(ListenerLimits.CONNECTION_LIMIT, "0");
        config.setProperty(ListenerLimits.CONNECTION_LIMIT_PER_IP, "0");

        assertThat(ListenerLimits.from(config)).isEqualTo(new ListenerLimits(0, 0, 1024 * 1024));
    }

    @ParameterizedTest
    @CsvSource({"connectionLimit, -1", "connectionLimitPerIP, many", "maxLineLength, 999", "maxLineLength, 1M"})
    void anInvalidValueShouldBeRefusedNamingTheParameter(String parameter, String value) {
        BaseHierarchicalConfiguration config = new BaseHierarchicalConfiguration();
        config.setProperty(parameter, value);

        assertThatThrownBy(() -> ListenerLimits.from(config)).isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("<" + parameter + "> '" + value + "'");
    }
}
