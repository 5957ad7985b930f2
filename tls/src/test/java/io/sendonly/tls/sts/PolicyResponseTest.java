package io.sendonly.tls.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.sendonly.tls.ResultType;

class PolicyResponseTest {
    private static final String POLICY = "version: STSv1\r\nmode: enforce\r\nmx: mx.example.com\r\nmax_age: 86400\r\n";

    @Test
    void readShouldGiveTheBodyOfAnAnswerWithItsLength() throws Exception {
        assertThat(read("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " + POLICY.length()
            + "\r\n\r\n" + POLICY + "trailing bytes not part of the body")).isEqualTo(POLICY);
    }

    @Test
    void readShouldJoinTheChunksOfAChunkedAnswer() throws Exception {
        assertThat(read("HTTP/1.1 200 OK\r\ncontent-type: TEXT/PLAIN\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "10;ext=1\r\n" + POLICY.substring(0, 16) + "\r\n" + Integer.toHexString(POLICY.length() - 16) + "\r\n" + POLICY.substring(16)
            + "\r\n0\r\nTrailer: x\r\n\r\n")).isEqualTo(POLICY);
    }

    @Test
    void readShouldReadUntilTheEndWithoutALength() throws Exception {
        assertThat(read("HTTP/1.0 200 OK\nContent-Type: text/plain\n\n" + POLICY)).isEqualTo(POLICY);
    }

    @Test
    void readShouldRefuseABodyOverSixtyFourKilobytes() {
        String large = "x".repeat(PolicyResponse.MAX_BODY + 1);
        assertFailure("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n" + large, ResultType.STS_POLICY_INVALID,
            "larger than 64 KB");
        assertFailure("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + large.length() + "\r\n\r\n" + large,
            ResultType.STS_POLICY_INVALID, "larger than 64 KB");
        assertFailure("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
            + Integer.toHexString(large.length()) + "\r\n" + large + "\r\n0\r\n\r\n", ResultType.STS_POLICY_INVALID, "larger than 64 KB");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "HTTP/1.1 404 Not Found|STS_POLICY_FETCH_ERROR|HTTP 404",
        "HTTP/1.1 301 Moved Permanently|STS_POLICY_FETCH_ERROR|HTTP 301 (redirects are not followed)",
        "SSH-2.0-OpenSSH|STS_POLICY_FETCH_ERROR|the answer is not HTTP/1.x",
        "HTTP/1.1 200 OK\\r\\nContent-Type: text/html|STS_POLICY_INVALID|media type is 'text/html', not text/plain",
        "HTTP/1.1 200 OK|STS_POLICY_INVALID|media type is '', not text/plain",
        "HTTP/1.1 200 OK\\r\\nContent-Type: text/plain\\r\\nbroken header|STS_POLICY_FETCH_ERROR|malformed header line"})
    void readShouldSayWhyWhenTheAnswerIsNoPolicy(String head, ResultType type, String problem) {
        assertFailure(head.replace("\\r\\n", "\r\n") + "\r\n\r\n" + POLICY, type, problem);
    }

    @Test
    void readShouldFailWhenTheConnectionClosesEarly() {
        assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nversion"))
            .isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"))
            .isInstanceOf(EOFException.class);
    }

    private static String read(String answer) throws Exception {
        return PolicyResponse.read(new ByteArrayInputStream(answer.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static void assertFailure(String answer, ResultType type, String problem) {
        assertThatThrownBy(() -> read(answer)).isInstanceOfSatisfying(PolicyUnavailable.class, e -> {
            assertThat(e.failure().type()).isEqualTo(type);
            assertThat(e.failure().reason()).contains(problem);
        });
    }
}
