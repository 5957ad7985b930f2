package io.sendonly.server.accept;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;

import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.sendonly.events.Events;
import io.sendonly.metrics.DeliveryMetrics;

class LimitAuthFailuresTest {
    @ParameterizedTest
    @CsvSource({"failureLimit, 0", "failureLimit, ten", "failureWindow, 0s", "failureWindow, 10 minutes", "failureDelay, -1s"})
    void anInvalidValueShouldBeRefusedNamingTheParameter(String parameter, String value) {
        BaseConfiguration config = new BaseConfiguration();
        config.setProperty(parameter, value);

        assertThatThrownBy(() -> new LimitAuthFailures(Clock.systemUTC(), new DeliveryMetrics(new Events())).init(config)).isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("<" + parameter + "> '" + value + "'");
    }
}
