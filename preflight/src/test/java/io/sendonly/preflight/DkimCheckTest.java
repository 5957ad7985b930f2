package io.sendonly.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DkimCheckTest {
    @TempDir
    Path folder;

    private final FakeDns dns = new FakeDns();
    private Path keyFile;
    private SendingDomain domain;

    @BeforeEach
    void setUp() throws Exception {
        keyFile = Keys.generate(folder.resolve("ours"), "example.com", "s1");
        domain = new SendingDomain("example.com",
            Optional.of(new SendingDomain.SigningKey("s1._domainkey.example.com", "example.com", "s1", keyFile)), List.of());
    }

    @Test
    void checkShouldPassWhenOurPublicKeyIsPublished() throws Exception {
        dns.txt("s1._domainkey.example.com", Keys.record(keyFile, "s1"));

        assertThat(DkimCheck.check(domain, dns).status()).isEqualTo(Status.PASS);
    }

    @Test
    void checkShouldFailWithTheRecordToPublishWhenItIsMissing() throws Exception {
        Check check = DkimCheck.check(domain, dns);

        assertThat(check.status()).isEqualTo(Status.FAIL);
        assertThat(check.detail()).contains("has no DKIM record");
        assertThat(check.record().orElseThrow()).startsWith("s1._domainkey.example.com. TXT \"v=DKIM1; h=sha256; k=rsa; p=")
            .contains(Keys.record(keyFile, "s1").substring(0, 100));
    }

    @Test
    void checkShouldFailWhenAnotherKeyIsPublished() throws Exception {
        Path other = Keys.generate(folder.resolve("other"), "example.com", "s1");
        dns.txt("s1._domainkey.example.com", Keys.record(other, "s1"));

        Check check = DkimCheck.check(domain, dns);

        assertThat(check.status()).isEqualTo(Status.FAIL);
        assertThat(check.detail()).contains("publishes another key");
    }

    @Test
    void checkShouldFailWhenNoKeySignsTheDomain() {
        Check check = DkimCheck.check(new SendingDomain("example.com", Optional.empty(), List.of()), dns);

        assertThat(check.status()).isEqualTo(Status.FAIL);
        assertThat(check.detail()).contains("no SigningTable entry signs mail from example.com");
    }
}
