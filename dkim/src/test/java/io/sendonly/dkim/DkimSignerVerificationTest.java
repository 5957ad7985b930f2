package io.sendonly.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Our signatures over a corpus of awkward messages, checked by dkimpy and Mail::DKIM. */
class DkimSignerVerificationTest {
    private static final String DOMAIN = "example.com";
    private static KeyPair rsa2048;
    private static KeyPair rsa1024;
    private static KeyPair ed25519;

    @BeforeAll
    static void generateKeys() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        rsa2048 = rsa.generateKeyPair();
        rsa.initialize(1024);
        rsa1024 = rsa.generateKeyPair();
        ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    static Stream<Arguments> corpus() {
        return Stream.of(
            Arguments.of("plain ASCII", "From: App <app@example.com>\r\nTo: user@example.net\r\nSubject: Hello\r\n"
                + "Date: Tue, 24 Nov 2026 10:00:00 +0000\r\nMessage-ID: <1@example.com>\r\n\r\nHello.\r\n"),
            Arguments.of("RFC 2047 subject", "From: app@example.com\r\nTo: user@example.net\r\n"
                + "Subject: =?UTF-8?B?R3LDvMOfZSBhdXMgS8O2bG4=?=\r\n\r\nbody\r\n"),
            Arguments.of("SMTPUTF8 address", "From: Jörg <jörg@example.com>\r\nTo: müller@example.net\r\nSubject: ünïcødé\r\n\r\nbody\r\n"),
            Arguments.of("8-bit body", "From: app@example.com\r\nTo: user@example.net\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n\r\nGrüße aus Köln — ünïcødé\r\n"),
            Arguments.of("LF-only input", "From: app@example.com\nTo: user@example.net\nSubject: lf\n\nline one\nline two\n"),
            Arguments.of("long folded headers", "From: app@example.com\r\nTo: a@example.net,\r\n  b@example.net,\r\n\tc@example.net\r\n"
                + "Subject: a subject that is long enough to be folded\r\n   over   several    lines\r\n\r\nbody\r\n"),
            Arguments.of("trailing whitespace", "From: app@example.com  \r\nSubject: trailing\t \r\n\r\nline with spaces   \r\n\t\r\n\r\n\r\n"),
            Arguments.of("empty body", "From: app@example.com\r\nSubject: empty\r\n\r\n"),
            Arguments.of("multipart with a binary attachment", "From: app@example.com\r\nTo: user@example.net\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
                + "--b1\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4v\r\n--b1--\r\n"),
            Arguments.of("upstream DKIM-Signature", "DKIM-Signature: v=1; a=rsa-sha256; d=upstream.example; s=x; h=from; bh=abc=; b=def=\r\n"
                + "From: app@example.com\r\nSubject: relayed\r\n\r\nbody\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void rsa2048RelaxedShouldVerify(String name, String message) throws Exception {
        assertVerified(message, List.of(key(rsa2048, "rsa2048")), SignatureSettings.DEFAULT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void ed25519ShouldVerify(String name, String message) throws Exception {
        assertVerified(message, List.of(key(ed25519, "ed")), SignatureSettings.DEFAULT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void simpleSimpleShouldVerify(String name, String message) throws Exception {
        assertVerified(message, List.of(key(rsa2048, "rsa2048")), SignatureSettings.DEFAULT.withCanonicalization("simple/simple"));
    }

    @Test
    void rsa1024ShouldVerify() throws Exception {
        assertVerified("From: app@example.com\r\nSubject: 1024\r\n\r\nbody\r\n", List.of(key(rsa1024, "rsa1024")), SignatureSettings.DEFAULT);
    }

    @Test
    void dualRsaAndEd25519SignaturesShouldBothVerify() throws Exception {
        assertVerified("From: app@example.com\r\nSubject: dual\r\n\r\nbody\r\n",
            List.of(key(rsa2048, "rsa2048"), key(ed25519, "ed")), SignatureSettings.DEFAULT);
    }

    @Test
    void expirationShouldAddXTag() {
        String field = new DkimSigner(SignatureSettings.DEFAULT.withExpiration(Duration.ofDays(7)))
            .sign(RawMessage.parse("From: a@example.com\r\n\r\nx\r\n".getBytes(StandardCharsets.UTF_8)), key(rsa2048, "s"),
                Instant.ofEpochSecond(1_000_000));

        assertThat(field).contains("t=1000000").contains("x=" + (1_000_000 + 7 * 86400)).doesNotContain("l=");
    }

    @Test
    void fromShouldBeOversigned() {
        String field = new DkimSigner(SignatureSettings.DEFAULT)
            .sign(RawMessage.parse("From: a@example.com\r\nSubject: s\r\n\r\nx\r\n".getBytes(StandardCharsets.UTF_8)), key(rsa2048, "s"),
                Instant.now());

        assertThat(field.replaceAll("\\s", "")).contains("h=from:subject:from;");
    }

    private static SigningKey key(KeyPair pair, String selector) {
        return new SigningKey(DOMAIN, selector, pair.getPrivate());
    }

    private static void assertVerified(String message, List<SigningKey> keys, SignatureSettings settings) throws Exception {
        RawMessage parsed = RawMessage.parse(message.getBytes(StandardCharsets.UTF_8));
        DkimSigner signer = new DkimSigner(settings);
        List<String> signatures = new ArrayList<>();
        for (SigningKey key : keys) {
            signatures.add(signer.sign(parsed, key, Instant.now()));
        }
        byte[] signed = (String.join("\r\n", signatures) + "\r\n" + message).getBytes(StandardCharsets.UTF_8);

        Map<String, String> records = Map.of(
            "rsa2048._domainkey." + DOMAIN, DkimRecord.of(rsa2048.getPublic(), false, false),
            "rsa1024._domainkey." + DOMAIN, DkimRecord.of(rsa1024.getPublic(), false, false),
            "ed._domainkey." + DOMAIN, DkimRecord.of(ed25519.getPublic(), false, false));
        boolean onlyEd25519 = keys.stream().allMatch(key -> key.algorithm() == SigningAlgorithm.ED25519_SHA256);
        List<IndependentVerifiers.Result> results = IndependentVerifiers.verify(signed, DOMAIN, records);
        for (IndependentVerifiers.Result result : results) {
            String context = result.verifier() + " on\n" + new String(signed, StandardCharsets.UTF_8) + "\n" + result.output();
            if (onlyEd25519 && result.couldNotJudge()) {
                continue;
            }
            assertThat(result.passed()).as(context).isTrue();
        }
        assertThat(results).as("at least one independent verdict").anyMatch(IndependentVerifiers.Result::passed);
    }
}
