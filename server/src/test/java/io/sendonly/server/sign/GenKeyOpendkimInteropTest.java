package io.sendonly.server.sign;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sendonly.dkim.GenKey;
import io.sendonly.server.testing.Dnsmasq;
import io.sendonly.server.testing.Prerequisites;

/** A key made by our genkey, published as its .txt says, passes OpenDKIM's own key check (opendkim-testkey). */
class GenKeyOpendkimInteropTest {
    private static final String DNS_ADDRESS = "127.0.0.154";

    @TempDir
    Path directory;

    @Test
    void opendkimTestkeyShouldAcceptOurKeyAndRecord() throws Exception {
        Prerequisites.require(Prerequisites.isRoot() && Dnsmasq.executable().isPresent() && Files.isExecutable(Path.of("/usr/sbin/opendkim-testkey")),
            "needs root, dnsmasq and opendkim-testkey (opendkim-tools); .ci/run installs them");
        assertThat(GenKey.run(new String[] {"-d", "example.com", "-s", "s2026", "-D", directory.toString()},
            new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()))).isZero();
        String record = quotedStrings(Files.readString(directory.resolve("s2026.txt")));
        Path config = Files.writeString(directory.resolve("opendkim.conf"), "Nameservers " + DNS_ADDRESS + "\n");

        try (Dnsmasq dns = Dnsmasq.on(DNS_ADDRESS).txt("s2026._domainkey.example.com", record).localDomain("com").start()) {
            Process testkey = new ProcessBuilder("/usr/sbin/opendkim-testkey", "-x", config.toString(), "-d", "example.com",
                "-s", "s2026", "-k", directory.resolve("s2026.private").toString(), "-vvv")
                .redirectErrorStream(true).start();
            assertThat(testkey.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String output = new String(testkey.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(testkey.exitValue()).as(output).isZero();
            assertThat(output).contains("key OK");
        }
    }

    private static String quotedStrings(String zone) {
        Matcher strings = Pattern.compile("\"([^\"]*)\"").matcher(zone);
        StringBuilder record = new StringBuilder();
        while (strings.find()) {
            record.append(strings.group(1));
        }
        return record.toString();
    }
}
