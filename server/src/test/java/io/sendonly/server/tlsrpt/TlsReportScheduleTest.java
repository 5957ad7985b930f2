package io.sendonly.server.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TlsReportScheduleTest {
    @ParameterizedTest
    @CsvSource({
        "2026-11-30T00:00:00Z, 00:30, PT30M",
        "2026-11-30T00:29:59Z, 00:30, PT1S",
        "2026-11-30T00:30:00Z, 00:30, PT24H",
        "2026-11-30T23:00:00Z, 00:30, PT1H30M",
        "2026-11-30T10:00:00Z, 02:15, PT16H15M"
    })
    void untilNextShouldWaitForTheNextSendingTimeInUtc(String now, String at, String wait) {
        assertThat(TlsReportSchedule.untilNext(Instant.parse(now), LocalTime.parse(at))).isEqualTo(Duration.parse(wait));
    }
}
