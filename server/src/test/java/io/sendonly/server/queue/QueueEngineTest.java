package io.sendonly.server.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.convert.DefaultListDelimiterHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueEngineTest {
    private static final String URL = "failover:(tcp://127.0.0.1:61616,tcp://127.0.0.2:61616)";

    @TempDir
    Path home;

    @Test
    void fromShouldBeEmbeddedWhenTheFileIsEmpty() {
        assertThat(QueueEngine.from(properties(Map.of()), home).brokerUrl()).isEmpty();
    }

    @Test
    void fromShouldReadTheBrokerUrlWhenExternal() {
        QueueEngine engine = QueueEngine.from(properties(Map.of(QueueEngine.ENGINE, "external", QueueEngine.BROKER_URL, URL)), home);

        assertThat(engine.brokerUrl()).contains(URL);
        assertThat(engine.user()).isEmpty();
    }

    @Test
    void fromShouldReadTheCredentialsFileWhenOnlyItsOwnerCanReadIt() throws IOException {
        credentials("rw-------", "user=node\npassword=s3cret\n");

        QueueEngine engine = QueueEngine.from(external("queue.credentials"), home);

        assertThat(engine.user()).contains("node");
        assertThat(engine.password()).contains("s3cret");
        assertThat(engine.toString()).doesNotContain("s3cret");
    }

    @Test
    void fromShouldRefuseACredentialsFileReadableByTheGroup() throws IOException {
        credentials("rw-r-----", "user=node\npassword=s3cret\n");

        assertThatThrownBy(() -> QueueEngine.from(external("queue.credentials"), home))
            .hasMessageContaining("broker.credentials").hasMessageContaining("chmod 600").hasMessageNotContaining("s3cret");
    }

    @Test
    void fromShouldRefuseACredentialsFileWithoutPassword() throws IOException {
        credentials("rw-------", "user=node\n");

        assertThatThrownBy(() -> QueueEngine.from(external("queue.credentials"), home)).hasMessageContaining("password=");
    }

    @Test
    void fromShouldRefuseAMissingCredentialsFile() {
        assertThatThrownBy(() -> QueueEngine.from(external("absent"), home)).hasMessageContaining("no such file");
    }

    @Test
    void fromShouldRefuseAnUnknownKey() {
        assertThatThrownBy(() -> QueueEngine.from(properties(Map.of("broker.urls", URL)), home))
            .hasMessageContaining("queue.properties: unknown key 'broker.urls'");
    }

    @Test
    void fromShouldRefuseAnUnknownEngine() {
        assertThatThrownBy(() -> QueueEngine.from(properties(Map.of(QueueEngine.ENGINE, "rabbitmq")), home))
            .hasMessageContaining("engine=rabbitmq: expected embedded or external");
    }

    @Test
    void fromShouldRefuseExternalWithoutUrl() {
        assertThatThrownBy(() -> QueueEngine.from(properties(Map.of(QueueEngine.ENGINE, "external")), home))
            .hasMessageContaining("needs broker.url");
    }

    @Test
    void fromShouldRefuseAUrlWithoutFailover() {
        assertThatThrownBy(() -> QueueEngine.from(properties(Map.of(QueueEngine.ENGINE, "external", QueueEngine.BROKER_URL, "tcp://127.0.0.1:61616")), home))
            .hasMessageContaining("expected a failover: URL");
    }

    @Test
    void fromShouldRefuseAPasswordInTheUrlWithoutShowingIt() {
        String url = URL + "?jms.password=s3cret";

        assertThatThrownBy(() -> QueueEngine.from(properties(Map.of(QueueEngine.ENGINE, "external", QueueEngine.BROKER_URL, url)), home))
            .hasMessageContaining("carries a password").hasMessageNotContaining("s3cret");
    }

    @Test
    void fromShouldRefuseABrokerUrlWhenEmbedded() {
        assertThatThrownBy(() -> QueueEngine.from(properties(Map.of(QueueEngine.BROKER_URL, URL)), home))
            .hasMessageContaining("broker.url is set but engine=embedded");
    }

    private Configuration external(String credentials) {
        return properties(Map.of(QueueEngine.ENGINE, "external", QueueEngine.BROKER_URL, URL, QueueEngine.BROKER_CREDENTIALS, credentials));
    }

    private void credentials(String mode, String content) throws IOException {
        Path file = home.resolve("queue.credentials");
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    }

    private static Configuration properties(Map<String, String> values) {
        BaseConfiguration configuration = new BaseConfiguration();
        // As James's PropertiesProvider reads files.
        configuration.setListDelimiterHandler(new DefaultListDelimiterHandler(','));
        values.forEach(configuration::addProperty);
        return configuration;
    }
}
