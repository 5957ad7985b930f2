package io.sendonly.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sendonly.config.TableReference;

class GenKeyTest {
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");
    private static final Path OPENDKIM_GENKEY = Path.of("/usr/sbin/opendkim-genkey");

    @TempDir
    Path directory;

    @ParameterizedTest
    @ValueSource(strings = {"rsa", "ed25519"})
    void generatedKeyShouldSignMessagesThatIndependentVerifiersAccept(String algorithm) throws Exception {
        assertThat(genkey("-a", algorithm, "-b", "2048", "-d", "example.com", "-s", "s2026", "-D", directory.toString(), "-r")).isZero();

        Path privateKey = directory.resolve("s2026.private");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateKey))).isEqualTo("rw-------");
        String record = record(directory.resolve("s2026.txt"));
        assertThat(record).startsWith("v=DKIM1; ").contains("k=" + (algorithm.equals("rsa") ? "rsa" : "ed25519")).contains("s=email");

        byte[] message = "From: app@example.com\r\nSubject: genkey\r\n\r\nbody\r\n".getBytes(StandardCharsets.UTF_8);
        String signature = new DkimSigner(SignatureSettings.DEFAULT)
            .sign(RawMessage.parse(message), new SigningKey("example.com", "s2026", PrivateKeys.read(privateKey)), Instant.now());
        byte[] signed = (signature + "\r\n" + new String(message, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        IndependentVerifiers.assertVerified(IndependentVerifiers.verify(signed, "example.com", Map.of("s2026._domainkey.example.com", record)),
            new String(signed, StandardCharsets.UTF_8));
    }

    @Test
    void recordFileShouldHaveOpendkimGenkeyShape() throws Exception {
        genkey("-b", "2048", "-d", "example.com", "-s", "mail", "-D", directory.toString());

        String zone = Files.readString(directory.resolve("mail.txt"));
        assertThat(zone).startsWith("mail._domainkey\tIN\tTXT\t( \"v=DKIM1; h=sha256; k=rsa; \"\n\t  \"p=")
            .endsWith("\" )  ; ----- DKIM key mail for example.com\n");
        Matcher strings = QUOTED.matcher(zone);
        while (strings.find()) {
            assertThat(strings.group(1).length()).isLessThanOrEqualTo(255);
        }
    }

    @Test
    void keyMadeByOpendkimGenkeyShouldSignUnchanged() throws Exception {
        DebianTools.require(Files.isExecutable(OPENDKIM_GENKEY), "needs " + OPENDKIM_GENKEY + " (opendkim-tools)");
        Process process = new ProcessBuilder(OPENDKIM_GENKEY.toString(), "-b", "2048", "-d", "example.com", "-s", "legacy", "-D", directory.toString())
            .redirectErrorStream(true).start();
        assertThat(process.waitFor()).as(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        Files.writeString(directory.resolve("KeyTable"), "legacy example.com:legacy:legacy.private\n");
        Files.writeString(directory.resolve("SigningTable"), "*@example.com legacy\n");

        DkimSigning signing = DkimSigning.load(directory.resolve("KeyTable"), TableReference.parse("refile:" + directory.resolve("SigningTable")),
            false, false, SignatureSettings.DEFAULT);
        byte[] message = "From: app@example.com\r\nSubject: opendkim key\r\n\r\nbody\r\n".getBytes(StandardCharsets.UTF_8);
        List<String> signatures = signing.sign(message, signing.decide("app@example.com").keys(), Instant.now());
        byte[] signed = (String.join("\r\n", signatures) + "\r\n" + new String(message, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);

        IndependentVerifiers.assertVerified(IndependentVerifiers.verify(signed, "example.com",
            Map.of("legacy._domainkey.example.com", record(directory.resolve("legacy.txt")))), new String(signed, StandardCharsets.UTF_8));
    }

    @Test
    void existingFilesShouldNotBeOverwritten() throws Exception {
        Files.writeString(directory.resolve("default.private"), "keep me");

        assertThat(genkey("-D", directory.toString())).isEqualTo(GenKey.EX_CANTCREAT);
        assertThat(Files.readString(directory.resolve("default.private"))).isEqualTo("keep me");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-b 512", "-b x", "-a dsa", "--nope", "-s", "-s bad/selector", "-h sha1"})
    void badOptionsShouldExitWithUsage(String arguments) {
        assertThat(genkey((arguments + " -D " + directory).split(" "))).isEqualTo(GenKey.EX_USAGE);
    }

    private static int genkey(String... args) {
        return GenKey.run(args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));
    }

    /** The TXT value a DNS server would answer: the quoted strings of the zone file, concatenated. */
    private static String record(Path zoneFile) throws Exception {
        Matcher strings = QUOTED.matcher(Files.readString(zoneFile));
        StringBuilder record = new StringBuilder();
        while (strings.find()) {
            record.append(strings.group(1));
        }
        return record.toString();
    }
}
