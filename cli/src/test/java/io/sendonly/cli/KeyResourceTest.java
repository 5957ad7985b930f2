package io.sendonly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.ObjectMapper;

class KeyResourceTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Terminal terminal = new Terminal(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream()), Optional.empty());

    @ParameterizedTest
    @CsvSource({"published, 0", "missing, 75", "mismatch, 65", "syntaxError, 65"})
    void dnsCheckShouldExitByTheRecordStatus(String status, int exitCode) throws Exception {
        String check = "{\"name\":\"s1._domainkey.example.com\",\"status\":\"" + status + "\",\"expected\":\"v=DKIM1; k=rsa; p=AAA\"}";

        assertThat(KeyResource.dnsCheck(new ObjectMapper().readTree(check), terminal)).isEqualTo(exitCode);
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("s1._domainkey.example.com: " + status + "\n");
    }
}
