package io.sendonly.sendmail;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SendmailExceptionTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "550 5.1.1 No such user| 67",
        "553 5.1.3 Bad recipient address syntax| 67",
        "550 5.1.2 Bad destination system address| 68",
        "554 5.4.4 Unable to route| 68",
        "554 5.7.1 Relay access denied| 77",
        "535 5.7.8 Authentication failed| 77",
        "500 5.5.2 Syntax error| 76",
        "552 5.6.0 Multiple From headers| 65",
        "554 5.3.4 Message too big| 69",
        "554 no enhanced code| 69",
        "554-5.7.1 first line| 77",
    })
    void replyShouldMapToItsSysexitsCode(String reply, int exitCode) {
        assertThat(SendmailException.exitCode(reply, SendmailException.EX_UNAVAILABLE)).isEqualTo(exitCode);
    }
}
