package io.sendonly.sendmail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
    @TempDir
    Path home;

    @Test
    void defaultDomainShouldBeTheServersOwn() throws Exception {
        write("conf/domainlist.xml", "<?xml version=\"1.0\"?>\n<!-- <defaultDomain>commented.example</defaultDomain> -->\n"
            + "<domainlist><autodetect>false</autodetect><defaultDomain> example.com </defaultDomain></domainlist>\n");

        assertThat(load(Map.of()).defaultDomain()).isEqualTo("example.com");
        assertThat(load(Map.of("SENDONLY_DEFAULT_DOMAIN", "app.example")).defaultDomain()).isEqualTo("app.example");
    }

    @Test
    void defaultDomainShouldBeLocalhostWithoutADomainList() throws Exception {
        assertThat(load(Map.of()).defaultDomain()).isEqualTo("localhost");
        write("conf/domainlist.xml", "<domainlist><autodetect>false</autodetect></domainlist>");
        assertThat(load(Map.of()).defaultDomain()).isEqualTo("localhost");
    }

    @Test
    void unreadableDomainListShouldBeAConfigurationError() throws Exception {
        write("conf/domainlist.xml", "<domainlist><defaultDomain>example.com</domainlist>");

        assertThatThrownBy(() -> load(Map.of())).isInstanceOfSatisfying(SendmailException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(SendmailException.EX_CONFIG);
            assertThat(e.getMessage()).contains("domainlist.xml");
        });
    }

    @Test
    void unknownKeyShouldBeRefusedNamingIt() throws Exception {
        write("conf/sendmail.properties", "smtp.host=127.0.0.1\nsmtp.prot=2525\n");

        assertThatThrownBy(() -> load(Map.of())).isInstanceOfSatisfying(SendmailException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(SendmailException.EX_CONFIG);
            assertThat(e.getMessage()).contains("sendmail.properties").contains("unknown key 'smtp.prot'");
        });
    }

    @Test
    void defaultDomainKeyShouldPointToTheDomainList() throws Exception {
        write("conf/sendmail.properties", "default.domain=example.com\n");

        assertThatThrownBy(() -> load(Map.of())).isInstanceOfSatisfying(SendmailException.class, e ->
            assertThat(e.getMessage()).contains("'default.domain'").contains("<defaultDomain> of conf/domainlist.xml"));
    }

    @Test
    void environmentShouldOverrideTheFile() throws Exception {
        write("conf/sendmail.properties", "smtp.host=192.0.2.1\nsmtp.port=25\n");

        Settings settings = load(Map.of("SENDONLY_SMTP_PORT", "2526"));

        assertThat(settings.host()).isEqualTo("192.0.2.1");
        assertThat(settings.port()).isEqualTo(2526);
        assertThat(settings.maildrop()).isEqualTo(home.resolve("var/maildrop"));
    }

    private Settings load(Map<String, String> environment) throws SendmailException {
        Map<String, String> withHome = new HashMap<>(environment);
        withHome.put("SENDONLY_HOME", home.toString());
        return Settings.load(withHome);
    }

    private void write(String relative, String content) throws IOException {
        Path path = home.resolve(relative);
        Files.createDirectories(path.getParent());
        Files.writeString(path, content);
    }
}
