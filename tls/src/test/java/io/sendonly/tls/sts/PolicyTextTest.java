package io.sendonly.tls.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.sendonly.tls.ResultType;
import io.sendonly.tls.StsPolicy;

class PolicyTextTest {
    private static final String RFC_EXAMPLE = "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\n"
        + "mx: *.example.net\r\nmx: backupmx.example.com\r\nmax_age: 604800\r\n";

    @Test
    void parseShouldReadTheExampleOfTheRfc() throws Exception {
        StsPolicy policy = PolicyText.parse("example.com", "id1", RFC_EXAMPLE);

        assertThat(policy).isEqualTo(new StsPolicy("example.com", StsPolicy.Mode.ENFORCE,
            List.of("mail.example.com", "*.example.net", "backupmx.example.com"), Duration.ofSeconds(604800), "id1",
            List.of("version: STSv1", "mode: enforce", "mx: mail.example.com", "mx: *.example.net",
                "mx: backupmx.example.com", "max_age: 604800")));
    }

    @Test
    void parseShouldAcceptLfLineEndsUnknownKeysAndNoFinalLineEnd() throws Exception {
        StsPolicy policy = PolicyText.parse("example.com", "id1",
            "version: STSv1\nmode:testing\nx_extension: some value\nmx: MX.Example.COM.\nmax_age: 86400");

        assertThat(policy.mode()).isEqualTo(StsPolicy.Mode.TESTING);
        assertThat(policy.mxPatterns()).containsExactly("mx.example.com.");
        assertThat(policy.allowsMx("mx.example.com")).isTrue();
    }

    @Test
    void parseShouldKeepTheFirstOfARepeatedField() throws Exception {
        StsPolicy policy = PolicyText.parse("example.com", "id1",
            "version: STSv1\nmode: enforce\nmode: none\nmx: mx.example.com\nmax_age: 60\nmax_age: 120\n");

        assertThat(policy.mode()).isEqualTo(StsPolicy.Mode.ENFORCE);
        assertThat(policy.maxAge()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void parseShouldAcceptModeNoneWithoutMx() throws Exception {
        StsPolicy policy = PolicyText.parse("example.com", "id1", "version: STSv1\nmode: none\nmax_age: 86400\n");

        assertThat(policy.mode()).isEqualTo(StsPolicy.Mode.NONE);
        assertThat(policy.mxPatterns()).isEmpty();
    }

    @Test
    void parseShouldAcceptTheLargestMaxAge() throws Exception {
        StsPolicy policy = PolicyText.parse("example.com", "id1",
            "version: STSv1\nmode: testing\nmx: mx.example.com\nmax_age: 31557600\n");

        assertThat(policy.maxAge()).isEqualTo(Duration.ofSeconds(31557600));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "mode: enforce\\nmx: mx.example.com\\nmax_age: 60|version is missing",
        "version: STSv2\\nmode: enforce\\nmx: mx.example.com\\nmax_age: 60|version is 'STSv2'",
        "version: STSv1\\nmx: mx.example.com\\nmax_age: 60|mode is missing",
        "version: STSv1\\nmode: Enforce\\nmx: mx.example.com\\nmax_age: 60|mode is 'Enforce'",
        "version: STSv1\\nmode: enforce\\nmx: mx.example.com|max_age is missing",
        "version: STSv1\\nmode: enforce\\nmx: mx.example.com\\nmax_age: 31557601|max_age is '31557601'",
        "version: STSv1\\nmode: enforce\\nmx: mx.example.com\\nmax_age: -1|max_age is '-1'",
        "version: STSv1\\nmode: enforce\\nmx: mx.example.com\\nmax_age: 12345678901|max_age is '12345678901'",
        "version: STSv1\\nmode: enforce\\nmax_age: 60|no mx in mode enforce",
        "version: STSv1\\nmode: testing\\nmax_age: 60|no mx in mode testing",
        "version: STSv1\\nmode: enforce\\nmx: *.*.example.com\\nmax_age: 60|mx '*.*.example.com'",
        "version: STSv1\\nmode: enforce\\nmx: mx_1.example.com\\nmax_age: 60|mx 'mx_1.example.com'",
        "version: STSv1\\nmode: enforce\\nmx: localhost\\nmax_age: 60|mx 'localhost'",
        "<html><body>Not found</body></html>|line 1 is not 'key: value'",
        "version: STSv1\\nmode enforce\\nmx: mx.example.com\\nmax_age: 60|line 2 is not 'key: value'"})
    void parseShouldRefuseAPolicyThatBreaksTheRfc(String text, String problem) {
        assertThatThrownBy(() -> PolicyText.parse("example.com", "id1", text.replace("\\n", "\n")))
            .isInstanceOfSatisfying(PolicyUnavailable.class, e -> {
                assertThat(e.failure().type()).isEqualTo(ResultType.STS_POLICY_INVALID);
                assertThat(e.failure().reason()).startsWith("MTA-STS policy invalid: ").contains(problem);
            });
    }
}
