package io.sendonly.events.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.apache.commons.configuration2.XMLConfiguration;
import org.apache.commons.configuration2.io.FileHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shipped events.xml and docs/observability.md show what the code reads. */
class WebhookSamplesTest {
    private static final Path SHIPPED = Path.of("..", "james-conf", "src", "main", "conf", "events.xml");
    private static final Path DOCS = Path.of("..", "docs", "observability.md");

    @TempDir
    Path base;

    @Test
    void theSampleInTheShippedEventsXmlShouldParse() throws Exception {
        String shipped = Files.readString(SHIPPED);
        String sample = shipped.substring(shipped.indexOf("<webhooks>"), shipped.indexOf("</webhooks>") + "</webhooks>".length());
        Path secret = base.resolve("conf/webhooks/crm.secret");
        Files.createDirectories(secret.getParent());
        Files.writeString(secret, "0123456789abcdef0123456789abcdef");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        XMLConfiguration configuration = new XMLConfiguration();
        new FileHandler(configuration).load(new StringReader("<events>" + sample + "</events>"));

        assertThat(WebhookSettings.parse(configuration, base)).extracting(Webhook::name).containsExactly("crm");
    }

    @ParameterizedTest
    @ValueSource(strings = {WebhookSettings.NAME, WebhookSettings.URL, WebhookSettings.SECRET_FILE, WebhookSettings.EVENTS,
        WebhookSettings.TIMEOUT})
    void everyElementShouldBeDocumented(String element) throws IOException {
        assertThat(Files.readString(DOCS)).contains("| `" + element + "` |").contains("<" + element + ">");
        assertThat(Files.readString(SHIPPED)).contains("<" + element + ">");
    }

    @Test
    void everyHeaderShouldBeDocumented() throws IOException {
        assertThat(Files.readString(DOCS)).contains(List.of(WebhookDelivery.EVENT_ID, WebhookDelivery.TIMESTAMP, WebhookDelivery.SIGNATURE));
    }
}
