package io.sendonly.events.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @ParameterizedTest
    @CsvSource({"1, 1", "2, 2", "3, 4", "4, 8", "9, 256", "10, 300", "11, 300", "1000, 300", "2147483647, 300"})
    void afterShouldDoubleFromOneSecondUpToFiveMinutes(int failures, long seconds) {
        assertThat(Backoff.DEFAULT.after(failures)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @Test
    void afterShouldRefuseZeroFailures() {
        assertThatThrownBy(() -> Backoff.DEFAULT.after(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void backoffShouldRefuseACapBelowTheFirstDelay() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
