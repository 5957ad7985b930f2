package io.sendonly.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;

import org.conscrypt.Conscrypt;
import org.junit.jupiter.api.Test;

class SigningEngineTest {
    private static final byte[] DATA = "from:a@example.com\r\nsubject:x\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void boringSslSignsRsaWithTheSameBytesAsTheJdk() throws Exception {
        assumeTrue(Conscrypt.isAvailable(), "Conscrypt has no native library for this platform");
        KeyPair pair = TestKeys.rsa(2048);
        SigningEngine fast = SigningEngine.choose("auto");

        PrivateKey prepared = fast.prepare(pair.getPrivate());

        assertThat(prepared.getClass().getName()).startsWith("org.conscrypt.");
        assertThat(fast.sign(prepared, DATA)).isEqualTo(SigningEngine.choose("jdk").sign(pair.getPrivate(), DATA));
        assertThat(verify("SHA256withRSA", pair, DATA, fast.sign(prepared, DATA))).isTrue();
    }

    @Test
    void bouncyCastleSignsEd25519WithTheSameBytesAsTheJdk() throws Exception {
        KeyPair pair = TestKeys.ed25519();
        SigningEngine fast = SigningEngine.choose("auto");

        PrivateKey prepared = fast.prepare(pair.getPrivate());

        assertThat(prepared.getClass().getName()).startsWith("org.bouncycastle.");
        assertThat(PrivateKeys.algorithmOf(prepared)).isEqualTo(SigningAlgorithm.ED25519_SHA256);
        assertThat(fast.sign(prepared, DATA)).isEqualTo(SigningEngine.choose("jdk").sign(pair.getPrivate(), DATA));
        assertThat(verify("Ed25519", pair, SigningEngine.sha256(DATA), fast.sign(prepared, DATA))).isTrue();
    }

    @Test
    void theDefaultUsesTheFastProvidersWhereTheyLoad() {
        assumeTrue(Conscrypt.isAvailable(), "Conscrypt has no native library for this platform");
        assertThat(SigningEngine.get().description())
            .isEqualTo("rsa-sha256 by BoringSSL (Conscrypt), ed25519-sha256 by Bouncy Castle");
    }

    @Test
    void theJdkEngineKeepsKeysAsTheyAre() throws Exception {
        KeyPair rsa = TestKeys.rsa(2048);
        KeyPair ed25519 = TestKeys.ed25519();
        SigningEngine jdk = SigningEngine.choose(" JDK ");

        assertThat(jdk.prepare(rsa.getPrivate())).isSameAs(rsa.getPrivate());
        assertThat(jdk.prepare(ed25519.getPrivate())).isSameAs(ed25519.getPrivate());
        assertThat(jdk.description()).isEqualTo("rsa-sha256 by the JDK, ed25519-sha256 by the JDK");
    }

    @Test
    void anUnknownSettingNamesTheProperty() {
        assertThatThrownBy(() -> SigningEngine.choose("openssl"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("-Dsendonly.dkim.engine=openssl: expected auto or jdk");
    }

    private static boolean verify(String algorithm, KeyPair pair, byte[] data, byte[] signature) throws Exception {
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(pair.getPublic());
        verifier.update(data);
        return verifier.verify(signature);
    }
}
