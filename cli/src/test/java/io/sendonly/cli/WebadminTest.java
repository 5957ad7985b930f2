package io.sendonly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class WebadminTest {
    @ParameterizedTest
    @CsvSource({"400, 65", "409, 65", "404, 67", "401, 77", "403, 77", "500, 75", "503, 75", "302, 70", "405, 70"})
    void exitCodeShouldFollowSysexits(int status, int exitCode) {
        assertThat(Webadmin.exitCode(status)).isEqualTo(exitCode);
    }

    @Test
    void reasonShouldBeTheMessageOfJamesErrorAnswer() {
        byte[] body = """
            {"statusCode":400,"type":"InvalidArgument","message":"network: 'x' is not an IP address or CIDR block","details":null}
            """.getBytes(StandardCharsets.UTF_8);

        assertThat(Webadmin.reason(body)).contains("network: 'x' is not an IP address or CIDR block");
    }

    @Test
    void reasonShouldAddTheDetails() {
        byte[] body = "{\"message\":\"Invalid request\",\"details\":\"bad JSON\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(Webadmin.reason(body)).contains("Invalid request: bad JSON");
    }

    @Test
    void reasonShouldBeEmptyForAnAnswerThatIsNotJamesError() {
        assertThat(Webadmin.reason("<html>Not found</html>".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void segmentShouldEncodeWhatAPathCannotHoldAndKeepAddresses() {
        assertThat(Webadmin.segment("web app@example.com")).isEqualTo("web%20app@example.com");
        assertThat(Webadmin.segment("Mail1-!42")).isEqualTo("Mail1-!42");
        assertThat(Webadmin.segment("a/b")).isEqualTo("a%2Fb");
    }
}
