package io.sendonly.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sendonly.dkim.IndependentVerifiers.Result;

/** The verifier of the default suite says fail when it should, and says when it cannot judge. */
class JdkimVerifierTest {
    private static final String MESSAGE = "From: app@example.com\r\nSubject: hello\r\n\r\nbody\r\n";
    private static final String EMPTY_BODY = "From: app@example.com\r\nSubject: empty\r\n\r\n";

    private static KeyPair rsa;
    private static KeyPair ed25519;
    private static Map<String, String> records;

    @BeforeAll
    static void generateKeys() throws Exception {
        rsa = TestKeys.rsa(2048);
        ed25519 = TestKeys.ed25519();
        records = Map.of("rsa._domainkey.example.com", DkimRecord.of(rsa.getPublic(), false, false),
            "ed._domainkey.example.com", DkimRecord.of(ed25519.getPublic(), false, false));
    }

    @Test
    void ourRsaSignatureShouldPass() throws Exception {
        assertThat(verify(signed(MESSAGE, "rsa", rsa), records).exitCode()).isEqualTo(Result.PASS);
    }

    @Test
    void changedBodyShouldFail() throws Exception {
        assertThat(verify(signed(MESSAGE, "rsa", rsa).replace("body", "bodY"), records).output()).contains("fail, body hash differs");
    }

    @Test
    void changedSignedHeaderShouldFail() throws Exception {
        assertThat(verify(signed(MESSAGE, "rsa", rsa).replace("hello", "hellO"), records).exitCode()).isEqualTo(Result.FAIL);
    }

    @Test
    void anotherKeyInDnsShouldFail() throws Exception {
        Map<String, String> otherKey = Map.of("rsa._domainkey.example.com", DkimRecord.of(TestKeys.rsa(2048).getPublic(), false, false));

        assertThat(verify(signed(MESSAGE, "rsa", rsa), otherKey).exitCode()).isEqualTo(Result.FAIL);
    }

    @Test
    void messageSignedOnlyByAnotherDomainShouldFail() throws Exception {
        Result result = JdkimVerifier.verify(signed(MESSAGE, "rsa", rsa).getBytes(StandardCharsets.UTF_8), "example.org", records);

        assertThat(result.exitCode()).isEqualTo(Result.FAIL);
        assertThat(result.output()).contains("another domain's, not judged");
    }

    @Test
    void ed25519SignatureAloneShouldNotBeJudged() throws Exception {
        assertThat(verify(signed(MESSAGE, "ed", ed25519), records).couldNotJudge()).isTrue();
    }

    @Test
    void emptyBodyShouldPassUnderRelaxed() throws Exception {
        assertThat(verify(signed(EMPTY_BODY, "rsa", rsa), records).exitCode()).isEqualTo(Result.PASS);
    }

    @Test
    void textAddedToAnEmptyBodyShouldFail() throws Exception {
        assertThat(verify(signed(EMPTY_BODY, "rsa", rsa) + "added\r\n", records).output()).contains("fail, body hash differs");
    }

    private static Result verify(String message, Map<String, String> dns) throws Exception {
        return JdkimVerifier.verify(message.getBytes(StandardCharsets.UTF_8), "example.com", dns);
    }

    private static String signed(String message, String selector, KeyPair key) {
        String signature = new DkimSigner(SignatureSettings.DEFAULT).sign(RawMessage.parse(message.getBytes(StandardCharsets.UTF_8)),
            new SigningKey("example.com", selector, key.getPrivate()), Instant.now());
        return signature + "\r\n" + message;
    }
}
