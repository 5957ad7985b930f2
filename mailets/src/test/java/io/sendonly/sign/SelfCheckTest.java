package io.sendonly.sign;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sendonly.dkim.DkimSigner;
import io.sendonly.dkim.RawMessage;
import io.sendonly.dkim.SignatureSettings;
import io.sendonly.dkim.SigningEngine;
import io.sendonly.dkim.SigningKey;

/** Our signatures pass the independent check, and what would break them on the way is caught. */
class SelfCheckTest {
    private static final String MESSAGE = "From: App <app@example.com>\r\nTo: user@example.net\r\nSubject: reset your password\r\n"
        + "Date: Mon, 30 Nov 2026 09:00:00 +0000\r\nMessage-ID: <1@example.com>\r\n\r\nhttps://example.com/reset?t=abc\r\n\r\n";

    @ParameterizedTest
    @ValueSource(strings = {"RSA", "Ed25519"})
    void ourSignatureShouldVerify(String algorithm) throws Exception {
        SigningKey key = key(algorithm);
        String signature = sign(MESSAGE, key);

        assertThat(new SelfCheck().verify(signed(signature, MESSAGE), List.of(signature), List.of(key)))
            .hasValueSatisfying(verdicts -> assertThat(verdicts).allMatch(SelfCheck.Verdict::verifies, "verifies"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA", "Ed25519"})
    void aBodyChangedAfterSigningShouldBeCaught(String algorithm) throws Exception {
        SigningKey key = key(algorithm);
        String signature = sign(MESSAGE, key);

        assertThat(problem(signed(signature, MESSAGE.replace("t=abc", "t=abd")), signature, key)).hasValueSatisfying(problem -> assertThat(problem).contains("body hash"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA", "Ed25519"})
    void aSignedHeaderChangedAfterSigningShouldBeCaught(String algorithm) throws Exception {
        SigningKey key = key(algorithm);
        String signature = sign(MESSAGE, key);

        assertThat(problem(signed(signature, MESSAGE.replace("reset your password", "reset your passwords")), signature, key))
            .hasValueSatisfying(problem -> assertThat(problem).contains("header signature does not verify"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA", "Ed25519"})
    void aSignatureByAnotherKeyShouldBeCaught(String algorithm) throws Exception {
        String signature = sign(MESSAGE, key(algorithm));

        assertThat(problem(signed(signature, MESSAGE), signature, key(algorithm))).hasValueSatisfying(problem -> assertThat(problem).contains("header signature does not verify"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA", "Ed25519"})
    void aDamagedSignatureShouldBeCaught(String algorithm) throws Exception {
        SigningKey key = key(algorithm);
        String signature = sign(MESSAGE, key);
        String damaged = signature.replaceFirst("b=([A-Za-z0-9+/])", "b=" + (signature.matches("(?s).*b=A.*") ? "B" : "A"));

        assertThat(problem(signed(damaged, MESSAGE), damaged, key)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA", "Ed25519"})
    void anEmptyBodyShouldVerify(String algorithm) throws Exception {
        SigningKey key = key(algorithm);
        String message = MESSAGE.substring(0, MESSAGE.indexOf("\r\n\r\n") + 4) + "\r\n \r\n";
        String signature = sign(message, key);

        assertThat(problem(signed(signature, message), signature, key)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA"})
    void aMessageWithAn8BitHeaderCannotBeJudged(String algorithm) throws Exception {
        SigningKey key = key(algorithm);
        String message = MESSAGE.replace("reset your password", "Grüße");
        String signature = sign(message, key);

        assertThat(new SelfCheck().verify(signed(signature, message), List.of(signature), List.of(key))).isEmpty();
    }

    private static Optional<String> problem(byte[] signed, String signature, SigningKey key) {
        return new SelfCheck().verify(signed, List.of(signature), List.of(key)).orElseThrow().get(0).problem();
    }

    private static SigningKey key(String algorithm) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        if (algorithm.equals("RSA")) {
            generator.initialize(2048);
        }
        return new SigningKey("example.com", "s1", SigningEngine.get().prepare(generator.generateKeyPair().getPrivate()));
    }

    private static String sign(String message, SigningKey key) {
        return new DkimSigner(SignatureSettings.DEFAULT).sign(RawMessage.parse(message.getBytes(StandardCharsets.UTF_8)), key, Instant.now());
    }

    private static byte[] signed(String signature, String message) {
        return (signature + "\r\n" + message).getBytes(StandardCharsets.UTF_8);
    }
}
