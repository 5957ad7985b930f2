package io.sendonly.tls.sts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StsRecordTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "v=STSv1; id=20160831085700Z;|20160831085700Z",
        "v=STSv1;id=abc|abc",
        "v=STSv1; id=abc; ext=1|abc",
        "v=STSv1 ;\tid=abc ; |abc",
        "v=STSv1; x-ext=va:lue; id=12345678901234567890123456789012|12345678901234567890123456789012",
        "v=STSv1; id=first; id=second|first"})
    void parseShouldReadTheIdWhenTheRecordIsValid(String text, String id) {
        assertThat(StsRecord.parse(text)).contains(new StsRecord(id));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "v=STSv1",
        "v=STSv1;",
        "v=STSv1; ext=1",
        "v=STSv2; id=abc",
        "id=abc; v=STSv1",
        " v=STSv1; id=abc",
        "v=STSv1; id=",
        "v=STSv1; id=has-dash",
        "v=STSv1; id=123456789012345678901234567890123",
        "v=STSv1; id=abc;; ext=1",
        "v=STSv1; id=abc; bad ext=1",
        "v=STSv1; id=abc; ext=a=b"})
    void parseShouldFindNoRecordWhenTheSyntaxIsWrong(String text) {
        assertThat(StsRecord.parse(text)).isEmpty();
    }

    @Test
    void selectShouldIgnoreRecordsOfOtherKinds() {
        assertThat(StsRecord.select(List.of("v=spf1 -all", "v=STSv1; id=one;", "google-site-verification=x")))
            .contains(new StsRecord("one"));
    }

    @Test
    void selectShouldFindNoneWhenSeveralStsRecordsArePublished() {
        assertThat(StsRecord.select(List.of("v=STSv1; id=one;", "v=STSv1; id=two;"))).isEmpty();
    }

    @Test
    void selectShouldFindNoneWhenTheOnlyStsRecordIsInvalid() {
        assertThat(StsRecord.select(List.of("v=STSv1; id=not valid;"))).isEmpty();
    }

    @Test
    void selectShouldFindNoneWithoutRecords() {
        assertThat(StsRecord.select(List.of())).isEmpty();
    }
}
