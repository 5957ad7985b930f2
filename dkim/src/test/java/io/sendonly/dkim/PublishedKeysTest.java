package io.sendonly.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PublishedKeysTest {
    @TempDir
    Path directory;

    @Test
    void publicKeyOfARecordShouldGiveItsPValueWithoutWhitespace() {
        assertThat(PublishedKeys.publicKeyOf("v=DKIM1; k=rsa; p=AB CD")).contains("ABCD");
        assertThat(PublishedKeys.publicKeyOf("p=ABCD")).contains("ABCD");
    }

    @ParameterizedTest
    @ValueSource(strings = {"v=DKIM2; p=ABCD", "v=DKIM1; p=", "v=DKIM1; k=rsa", "v=DKIM1; p=AB!D", "v=DKIM1; garbage; p=ABCD"})
    void publicKeyOfARecordShouldBeEmptyForWhatIsNoUsableKeyRecord(String record) {
        assertThat(PublishedKeys.publicKeyOf(record)).isEmpty();
    }

    @Test
    void publicKeyOfAnRsaKeyShouldBeDerivedAndCheckedAgainstAGivenP() throws Exception {
        KeyPair pair = rsa();
        String p = PublishedKeys.publicKeyOf(DkimRecord.of(pair.getPublic(), false, false)).orElseThrow();

        assertThat(PublishedKeys.publicKeyOf(pair.getPrivate(), "")).contains(pair.getPublic());
        assertThat(PublishedKeys.publicKeyOf(pair.getPrivate(), p)).contains(pair.getPublic());
        assertThat(PublishedKeys.publicKeyOf(pair.getPrivate(), PublishedKeys.publicKeyOf(
            DkimRecord.of(rsa().getPublic(), false, false)).orElseThrow())).isEmpty();
    }

    @Test
    void publicKeyOfAnEd25519KeyShouldBeTheGivenPOnlyWhenItVerifiesTheKeysSignature() throws Exception {
        KeyPair pair = ed25519();

        assertThat(PublishedKeys.publicKeyOf(pair.getPrivate(), rawP(pair))).contains(pair.getPublic());
        assertThat(PublishedKeys.publicKeyOf(pair.getPrivate(), rawP(ed25519()))).isEmpty();
        assertThat(PublishedKeys.publicKeyOf(pair.getPrivate(), "")).isEmpty();
    }

    @Test
    void expectedShouldDeriveTheRecordOfAnRsaKeyFile() throws Exception {
        KeyPair pair = rsa();
        Path keyFile = writePem(pair.getPrivate());

        assertThat(PublishedKeys.expected(keyFile, "mail"))
            .isEqualTo(PublishedKeys.publicKeyOf(DkimRecord.of(pair.getPublic(), false, false)));
    }

    @Test
    void expectedShouldBeEmptyForAKeyFileThatCannotBeRead() {
        assertThat(PublishedKeys.expected(directory.resolve("missing.private"), "mail")).isEqualTo(Optional.empty());
    }

    private Path writePem(PrivateKey key) throws Exception {
        Path file = directory.resolve("mail.private");
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        return file;
    }

    /** RFC 8463: the 32 raw bytes, the end of the SubjectPublicKeyInfo. */
    private static String rawP(KeyPair pair) {
        byte[] spki = pair.getPublic().getEncoded();
        byte[] raw = new byte[32];
        System.arraycopy(spki, spki.length - 32, raw, 0, 32);
        return Base64.getEncoder().encodeToString(raw);
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        return generator.generateKeyPair();
    }

    private static KeyPair ed25519() throws Exception {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }
}
