package io.sendonly.events.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.apache.commons.configuration2.XMLConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.io.FileHandler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sendonly.events.EventType;

class WebhookSettingsTest {
    private static final String SECRET = "3f1c9a7e5b2d4c6a8e0f1a2b3c4d5e6f";

    @TempDir
    Path base;

    @BeforeEach
    void writeSecret() throws IOException {
        Files.createDirectories(base.resolve("conf"));
        Files.writeString(base.resolve("conf/crm.secret"), SECRET + "\n");
        Files.setPosixFilePermissions(base.resolve("conf/crm.secret"), PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void parseShouldFindNoWebhookInAnEmptyFile() throws Exception {
        assertThat(WebhookSettings.parse(xml("<events/>"), base)).isEmpty();
    }

    @Test
    void parseShouldReadEveryElement() throws Exception {
        List<Webhook> webhooks = WebhookSettings.parse(xml(webhook(
            "<events>delivered, Bounced</events><timeout>3s</timeout>")), base);

        assertThat(webhooks).containsExactly(new Webhook("crm", URI.create("https://hooks.example.com/mail"),
            new Webhook.Secret(SECRET.getBytes()), Set.of(EventType.DELIVERED, EventType.BOUNCED), Duration.ofSeconds(3)));
    }

    @Test
    void parseShouldDefaultToEveryTypeAndTenSeconds() throws Exception {
        Webhook webhook = WebhookSettings.parse(xml(webhook("")), base).get(0);

        assertThat(webhook.events()).isEqualTo(EnumSet.allOf(EventType.class));
        assertThat(webhook.timeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void parseShouldRefuseASecretOtherUsersCanRead() throws Exception {
        Files.setPosixFilePermissions(base.resolve("conf/crm.secret"), PosixFilePermissions.fromString("rw-r-----"));

        assertThatThrownBy(() -> WebhookSettings.parse(xml(webhook("")), base))
            .hasMessageContaining("<secretFile>")
            .hasMessageContaining("readable by other users")
            .hasMessageNotContaining(SECRET);
    }

    @Test
    void parseShouldJudgeASecretReachedThroughALinkByTheFileItReads() throws Exception {
        Files.move(base.resolve("conf/crm.secret"), base.resolve("crm.secret"));
        Files.createSymbolicLink(base.resolve("conf/crm.secret"), base.resolve("crm.secret"));

        assertThat(WebhookSettings.parse(xml(webhook("")), base)).extracting(Webhook::secret)
            .containsExactly(new Webhook.Secret(SECRET.getBytes()));
    }

    @Test
    void parseShouldRefuseAShortSecretWithoutShowingIt() throws Exception {
        Files.writeString(base.resolve("conf/crm.secret"), "short-secret");

        assertThatThrownBy(() -> WebhookSettings.parse(xml(webhook("")), base))
            .hasMessageContaining("fewer than 16")
            .hasMessageNotContaining("short-secret");
    }

    @Test
    void parseShouldNameAMissingSecretFile() throws Exception {
        Files.delete(base.resolve("conf/crm.secret"));

        assertThatThrownBy(() -> WebhookSettings.parse(xml(webhook("")), base))
            .hasMessageContaining("<webhooks><webhook>[1]<secretFile>")
            .hasMessageContaining("cannot be read");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://hooks.example.com/", "hooks.example.com/mail", "https:///nohost", "http://exa mple.com/"})
    void parseShouldRefuseAUrlThatIsNotHttp(String url) {
        assertThatThrownBy(() -> WebhookSettings.parse(xml("<events><webhooks><webhook><name>crm</name><url>" + url
            + "</url><secretFile>conf/crm.secret</secretFile></webhook></webhooks></events>"), base))
            .hasMessageContaining("<webhooks><webhook>[1]<url> '" + url + "'");
    }

    @Test
    void parseShouldRefuseAnUnknownType() {
        assertThatThrownBy(() -> WebhookSettings.parse(xml(webhook("<events>delivered,opened</events>")), base))
            .hasMessageContaining("<events> 'delivered,opened'");
    }

    @Test
    void parseShouldRefuseABadTimeout() {
        assertThatThrownBy(() -> WebhookSettings.parse(xml(webhook("<timeout>soon</timeout>")), base))
            .hasMessageContaining("<webhooks><webhook>[1]<timeout> 'soon'");
    }

    @Test
    void parseShouldRefuseAnUnknownElement() {
        assertThatThrownBy(() -> WebhookSettings.parse(xml(webhook("<secret>" + SECRET + "</secret>")), base))
            .hasMessageContaining("unknown element <secret>")
            .hasMessageNotContaining(SECRET);
    }

    @Test
    void parseShouldRefuseAMissingName() {
        assertThatThrownBy(() -> WebhookSettings.parse(xml("<events><webhooks><webhook><url>http://127.0.0.1/</url>"
            + "<secretFile>conf/crm.secret</secretFile></webhook></webhooks></events>"), base))
            .hasMessageContaining("<name> is required");
    }

    @Test
    void parseShouldRefuseTwoWebhooksOfOneName() {
        String entry = "<webhook><name>crm</name><url>http://127.0.0.1/</url><secretFile>conf/crm.secret</secretFile></webhook>";

        assertThatThrownBy(() -> WebhookSettings.parse(xml("<events><webhooks>" + entry + entry + "</webhooks></events>"), base))
            .hasMessageContaining("<webhooks><webhook>[2]<name> 'crm'");
    }

    @Test
    void secretShouldNotPrint() throws Exception {
        assertThat(WebhookSettings.parse(xml(webhook("")), base).get(0).toString()).doesNotContain(SECRET);
    }

    private static String webhook(String more) {
        return "<events><webhooks><webhook><name>crm</name><url>https://hooks.example.com/mail</url>"
            + "<secretFile>conf/crm.secret</secretFile>" + more + "</webhook></webhooks></events>";
    }

    private static XMLConfiguration xml(String text) throws ConfigurationException {
        XMLConfiguration configuration = new XMLConfiguration();
        new FileHandler(configuration).load(new StringReader(text));
        return configuration;
    }
}
