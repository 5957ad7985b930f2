package io.sendonly.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sendonly.config.TableReference;

class DkimSigningTest {
    @TempDir
    Path directory;

    @BeforeEach
    void writeGoodKey() throws Exception {
        writeKey("good.private", TestKeys.rsa(2048).getPrivate(), "rw-------");
    }

    @Test
    void decideShouldUseSubdomainEntriesOnlyWithSubDomains() throws Exception {
        writeTables("k example.com:mail:good.private", "*@example.com k");

        assertThat(load(false).decide("app@news.example.com").signs()).isFalse();
        assertThat(load(true).decide("app@news.example.com").keys())
            .extracting(SigningKey::domain, SigningKey::selector)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("example.com", "mail"));
    }

    @Test
    void decideShouldSubstitutePercentWithTheSignedDomain() throws Exception {
        writeTables("k %:mail:good.private", "*@example.org k");

        assertThat(load(false).decide("app@example.org").keys()).singleElement()
            .extracting(SigningKey::domain).isEqualTo("example.org");
    }

    @Test
    void decideShouldSayWhyNothingSigns() throws Exception {
        writeTables("k example.com:mail:good.private", "*@example.com k");

        assertThat(load(false).decide("app@other.test").reason()).contains("no SigningTable entry for app@other.test");
    }

    @Test
    void firstMatchShouldWinWithoutMultipleSignatures() throws Exception {
        writeKey("ed.private", TestKeys.ed25519().getPrivate(), "rw-------");
        writeTables("rsa example.com:rsa:good.private\ned example.com:ed:ed.private", "*@example.com rsa\n*@example.com ed");

        assertThat(load(false).decide("a@example.com").keys()).extracting(SigningKey::selector).containsExactly("rsa");
        assertThat(DkimSigning.load(directory.resolve("KeyTable"), TableReference.parse("refile:" + directory.resolve("SigningTable")), false, true,
            SignatureSettings.DEFAULT).decide("a@example.com").keys()).extracting(SigningKey::selector).containsExactly("rsa", "ed");
    }

    @Test
    void missingKeyShouldStopLoadingNamingTheKeyTableLine() throws Exception {
        writeTables("k example.com:mail:good.private\nmissing example.com:old:nope.private", "*@example.com k");

        assertThatThrownBy(() -> load(false)).hasMessageContaining("KeyTable:2: key 'missing'").hasMessageContaining("no such file");
    }

    @Test
    void worldReadableKeyShouldStopLoading() throws Exception {
        writeKey("open.private", TestKeys.rsa(2048).getPrivate(), "rw-r--r--");
        writeTables("k example.com:mail:open.private", "*@example.com k");

        assertThatThrownBy(() -> load(false)).hasMessageContaining("KeyTable:1:").hasMessageContaining("readable by everyone");
    }

    @Test
    void shortRsaKeyShouldStopLoading() throws Exception {
        writeKey("short.private", TestKeys.rsa(512).getPrivate(), "rw-------");
        writeTables("k example.com:mail:short.private", "*@example.com k");

        assertThatThrownBy(() -> load(false)).hasMessageContaining("KeyTable:1:").hasMessageContaining("512 bits, below the minimum of 1024");
    }

    @Test
    void malformedKeyShouldStopLoading() throws Exception {
        Path file = directory.resolve("bad.private");
        Files.writeString(file, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        writeTables("k example.com:mail:bad.private", "*@example.com k");

        assertThatThrownBy(() -> load(false)).hasMessageContaining("KeyTable:1: key 'k'").hasMessageContaining("malformed");
    }

    @Test
    void signingTableNamingAnUnknownKeyShouldStopLoading() throws Exception {
        writeTables("k example.com:mail:good.private", "# comment\n*@example.com typo");

        assertThatThrownBy(() -> load(false)).hasMessageContaining("SigningTable:2: key name 'typo' is not in the KeyTable");
    }

    @Test
    void pkcs1KeyAsOpendkimGenkeyWritesShouldLoad() throws Exception {
        Path key = Files.writeString(directory.resolve("pkcs1.private"), TestKeys.pkcs1Pem(TestKeys.rsa(2048).getPrivate()));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        writeTables("k example.com:mail:pkcs1.private", "*@example.com k");

        assertThat(load(false).decide("a@example.com").signs()).isTrue();
    }

    private DkimSigning load(boolean subDomains) {
        return DkimSigning.load(directory.resolve("KeyTable"), TableReference.parse("refile:" + directory.resolve("SigningTable")), subDomains, false,
            SignatureSettings.DEFAULT);
    }

    private void writeTables(String keyTable, String signingTable) throws Exception {
        Files.writeString(directory.resolve("KeyTable"), keyTable + "\n");
        Files.writeString(directory.resolve("SigningTable"), signingTable + "\n");
    }

    private void writeKey(String name, PrivateKey key, String permissions) throws Exception {
        TestKeys.write(directory.resolve(name), key, permissions);
    }
}
