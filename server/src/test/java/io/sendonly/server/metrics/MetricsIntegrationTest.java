package io.sendonly.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.sendonly.server.testing.Messages;
import io.sendonly.server.testing.RelayedServer;
import io.sendonly.server.testing.SmtpClient;
import io.sendonly.server.testing.WebAdmin;

/**
 * One mail to three recipients that the next hop answers 250, {@code 550 5.1.1} and 450; then {@code GET /metrics}.
 * The bounce's report to the sender (and its copy to the admin) is delivered too, so the delivered count is what
 * the next hop accepted.
 */
class MetricsIntegrationTest {
    private static final Pattern DELIVERED = Pattern.compile(
        "\nsendonly_deliveries_total\\{outcome=\"delivered\",class=\"none\",route=\"(\\[127\\.0\\.0\\.1\\]:[0-9]+[^\"]*)\"\\} ([0-9]+)\n");

    @RegisterExtension
    final RelayedServer relayed = new RelayedServer(server -> server.delivery("retrySchedule", "1h"));

    @Test
    void metricsShouldCountEachRecipientsOutcomeAndShowTheDeferredMailQueued() throws Exception {
        relayed.sink().rejectRecipient("gone@example.net", "550 5.1.1 No such user");
        relayed.sink().rejectRecipient("busy@example.net", "450 4.2.0 Mailbox busy, try later");
        try (SmtpClient client = SmtpClient.connect(relayed.server().smtpPort())) {
            client.send("app@example.com", List.of("alice@example.net", "gone@example.net", "busy@example.net"),
                Messages.simple(Messages.newMessageId(), "app@example.com", "alice@example.net", "Reset", "body\r\n"));
        }
        WebAdmin webAdmin = relayed.webAdmin();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            String page = webAdmin.get("/metrics").body();
            boolean reported = relayed.sink().received().stream().anyMatch(received -> received.rcptTo().contains("app@example.com"));
            return reported && page.contains("outcome=\"deferred\"") && deliveredCount(page) == accepted();
        });

        HttpResponse<String> response = webAdmin.get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
        String page = response.body();
        long accepted = accepted();
        Matcher delivered = DELIVERED.matcher(page);
        assertThat(delivered.find()).as(page).isTrue();
        String route = delivered.group(1);
        assertThat(Long.parseLong(delivered.group(2))).isEqualTo(accepted).isGreaterThanOrEqualTo(2);
        assertThat(page).contains(
            "sendonly_deliveries_total{outcome=\"bounced\",class=\"hard\",route=\"" + route + "\"} 1\n",
            "sendonly_deliveries_total{outcome=\"deferred\",class=\"soft\",route=\"" + route + "\"} 1\n",
            "\nsendonly_delivery_seconds_count " + accepted + "\n",
            "sendonly_delivery_seconds_bucket{le=\"+Inf\"} " + accepted + "\n",
            "sendonly_queue_messages{queue=\"outgoing\"} 1\n",
            "sendonly_queue_messages{queue=\"spool\"} 0\n");
        assertThat(page).containsPattern("\nsendonly_queue_oldest_seconds\\{queue=\"outgoing\"\\} [0-9.]+\n");
    }

    /** The recipients the next hop accepted, over every message it received. */
    private long accepted() {
        return relayed.sink().received().stream().mapToLong(received -> received.rcptTo().size()).sum();
    }

    private static long deliveredCount(String page) {
        Matcher delivered = DELIVERED.matcher(page);
        return delivered.find() ? Long.parseLong(delivered.group(2)) : -1;
    }

    @Test
    void metricsShouldAnswer401WithoutTheOperatorToken() throws Exception {
        HttpResponse<String> response = WebAdmin.anonymous(relayed.server().webAdminPort()).get("/metrics");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).doesNotContain("sendonly_");
    }
}
