package io.sendonly.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TxtPresentationTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"v=TLSRPTv1; rua=mailto:a@example.com\"|v=TLSRPTv1; rua=mailto:a@example.com",
        "\"v=TLSRPTv1; \" \"rua=mailto:a@example.com\"|v=TLSRPTv1; rua=mailto:a@example.com",
        "\"say \\\"hi\\\" \\\\ \\059\"|say \"hi\" \\ ;",
        "unquoted|unquoted",
        "' v=DKIM1; p=AB '|v=DKIM1; p=AB"
    })
    void textShouldJoinTheStringsAndDecodeEscapes(String presentation, String text) {
        assertThat(TxtPresentation.text(presentation)).isEqualTo(text);
    }

    @Test
    void textShouldReadAZoneFileLineAsGenkeyWritesIt() {
        assertThat(TxtPresentation.text("mail._domainkey IN TXT ( \"v=DKIM1; k=rsa; \"\n\t\"p=AB\" )  ; ----- DKIM key"))
            .isEqualTo("v=DKIM1; k=rsa; p=AB");
    }
}
