package io.sendonly.tls.rpt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TxtPresentationTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"v=TLSRPTv1; rua=mailto:a@example.com\"|v=TLSRPTv1; rua=mailto:a@example.com",
        "\"v=TLSRPTv1; \" \"rua=mailto:a@example.com\"|v=TLSRPTv1; rua=mailto:a@example.com",
        "\"say \\\"hi\\\" \\\\ \\059\"|say \"hi\" \\ ;",
        "unquoted|unquoted"
    })
    void textShouldJoinTheStringsAndDecodeEscapes(String presentation, String text) {
        assertThat(TxtPresentation.text(presentation)).isEqualTo(text);
    }
}
