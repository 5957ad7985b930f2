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

/** Our signatures over a corpus of awkward messages, checked by independent verifiers (jDKIM; with -Pdebian-tools dkimpy and Mail::DKIM too). */
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
        return DkimCorpus.MESSAGES.entrySet().stream().map(entry -> Arguments.of(entry.getKey(), entry.getValue()));
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
        IndependentVerifiers.assertVerified(IndependentVerifiers.verify(signed, DOMAIN, records), new String(signed, StandardCharsets.UTF_8));
    }
}
