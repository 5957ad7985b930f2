package io.sendonly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsTest {
    @TempDir
    Path home;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "enabled=true\\nhost=127.0.0.1\\nport=8000|http://127.0.0.1:8000",
        "enabled=true\\nhost=0.0.0.0\\nport=8001|http://127.0.0.1:8001",
        "enabled=true\\nhost=localhost\\nport=8000\\nhttps.enabled=true|https://127.0.0.1:8000",
        "enabled=true\\nhost=::1\\nport=8000|http://[::1]:8000",
        "enabled=true|http://127.0.0.1:8000",
    })
    void loadShouldReachWebadminWhereItListens(String properties, String base) throws Exception {
        webadminProperties(properties.replace("\\n", "\n"));

        assertThat(Settings.load(Map.of(Settings.HOME, home.toString())).base()).isEqualTo(URI.create(base));
    }

    @Test
    void loadShouldTakeAPortWrittenAsAnEnvironmentReferenceFromTheEnvironment() throws Exception {
        webadminProperties("enabled=true\nport=${env:NODE_WEBADMIN_PORT}\n");

        Settings settings = Settings.load(Map.of(Settings.HOME, home.toString(), "NODE_WEBADMIN_PORT", "8042"));

        assertThat(settings.base()).isEqualTo(URI.create("http://127.0.0.1:8042"));
    }

    @Test
    void loadShouldRefuseAPortReferenceTheEnvironmentDoesNotSet() throws Exception {
        webadminProperties("enabled=true\nport=${env:NODE_WEBADMIN_PORT}\n");

        assertThatThrownBy(() -> Settings.load(Map.of(Settings.HOME, home.toString())))
            .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(CliException.EX_CONFIG))
            .hasMessageContaining("port: '${env:NODE_WEBADMIN_PORT}'");
    }

    @Test
    void loadShouldTakeTheTokenFromVarByDefault() throws Exception {
        webadminProperties("enabled=true\n");

        assertThat(Settings.load(Map.of(Settings.HOME, home.toString())).tokenFile()).isEqualTo(home.resolve("var/webadmin/token"));
    }

    @Test
    void loadShouldTakeTheTokenFileTheEnvironmentNames() throws Exception {
        webadminProperties("enabled=true\n");

        Settings settings = Settings.load(Map.of(Settings.HOME, home.toString(), Settings.TOKEN_FILE, "/etc/sendonly/token"));

        assertThat(settings.tokenFile()).isEqualTo(Path.of("/etc/sendonly/token"));
    }

    @Test
    void loadShouldTrustTheKeystoreWebadminServesRelativeToTheDistribution() throws Exception {
        webadminProperties("enabled=true\nhttps.enabled=true\nhttps.keystore=conf/webadmin.p12\nhttps.password=changeit\n");

        Settings settings = Settings.load(Map.of(Settings.HOME, home.toString()));

        assertThat(settings.keystore()).contains(home.resolve("conf/webadmin.p12"));
        assertThat(settings.keystorePassword()).isEqualTo("changeit");
    }

    @Test
    void loadShouldIgnoreTheKeystoreWithoutHttps() throws Exception {
        webadminProperties("enabled=true\nhttps.enabled=false\nhttps.keystore=conf/webadmin.p12\n");

        assertThat(Settings.load(Map.of(Settings.HOME, home.toString())).keystore()).isEmpty();
    }

    @Test
    void loadShouldRefuseADisabledWebadmin() throws Exception {
        webadminProperties("enabled=false\n");

        assertThatThrownBy(() -> Settings.load(Map.of(Settings.HOME, home.toString())))
            .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(CliException.EX_UNAVAILABLE));
    }

    @Test
    void loadShouldNameTheUnreadableConfiguration() {
        assertThatThrownBy(() -> Settings.load(Map.of(Settings.HOME, home.toString())))
            .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(CliException.EX_CONFIG))
            .hasMessageContaining(home.resolve("conf/webadmin.properties").toString());
    }

    @Test
    void tokenShouldBeTheFileContentTrimmed() throws Exception {
        Path token = Files.writeString(home.resolve("token"), "s3cr3t\n");

        assertThat(new Settings(URI.create("http://127.0.0.1:8000"), token, Optional.empty(), "").token()).isEqualTo("s3cr3t");
    }

    @Test
    void tokenShouldBeRefusedWithNoPermissionNamingTheFileWhenMissing() {
        Path token = home.resolve("var/webadmin/token");

        assertThatThrownBy(() -> new Settings(URI.create("http://127.0.0.1:8000"), token, Optional.empty(), "").token())
            .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(CliException.EX_NOPERM))
            .hasMessageContaining(token.toString());
    }

    private void webadminProperties(String content) throws IOException {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/webadmin.properties"), content);
    }
}
