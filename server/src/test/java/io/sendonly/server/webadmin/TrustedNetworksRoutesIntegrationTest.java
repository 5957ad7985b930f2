package io.sendonly.server.webadmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.google.common.net.InetAddresses;

import io.sendonly.server.testing.Messages;
import io.sendonly.server.testing.RelayedServer;
import io.sendonly.server.testing.SmtpClient;
import io.sendonly.server.testing.WebAdmin;

/** Trusted networks managed through webadmin, applied to the running server, persisted to conf/TrustedHosts. */
class TrustedNetworksRoutesIntegrationTest {
    private static final String PATH = "/sendonly/trustedNetworks";

    @RegisterExtension
    final RelayedServer relayed = new RelayedServer(server -> server.trustedHosts("# only this host\n127.0.0.1/32\n"));

    private final InetAddress client = InetAddresses.forString("127.0.0.9");

    @Test
    void addedNetworkShouldRelayWithoutRestartAndRemovedShouldNot() throws Exception {
        WebAdmin webAdmin = relayed.webAdmin();
        assertThat(rcptFrom(client)).isEqualTo(554);

        HttpResponse<String> added = webAdmin.post(PATH, "{\"network\":\"127.0.0.8/31\"}");

        assertThat(added.statusCode()).isEqualTo(201);
        assertThat(webAdmin.get(PATH).body()).isEqualTo("[\"127.0.0.1/32\",\"127.0.0.8/31\"]");
        assertThat(Files.readString(relayed.server().conf("TrustedHosts"))).isEqualTo("# only this host\n127.0.0.1/32\n127.0.0.8/31\n");
        try (SmtpClient smtp = SmtpClient.connect(relayed.server().smtpPort(), client)) {
            smtp.send("app@example.com", "user@example.net",
                Messages.simple(Messages.newMessageId(), "app@example.com", "user@example.net", "now trusted", "body\r\n"));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> relayed.sink().received().size() == 1);

        assertThat(webAdmin.delete(PATH + "?network=127.0.0.8/31").statusCode()).isEqualTo(204);
        assertThat(rcptFrom(client)).isEqualTo(554);
        assertThat(webAdmin.get(PATH).body()).isEqualTo("[\"127.0.0.1/32\"]");
    }

    @Test
    void changesShouldSurviveARestart() throws Exception {
        assertThat(relayed.webAdmin().post(PATH, "{\"network\":\"127.0.0.9\"}").statusCode()).isEqualTo(201);

        relayed.server().restart();

        assertThat(relayed.webAdmin().get(PATH).body()).contains("127.0.0.9");
        assertThat(rcptFrom(client)).isEqualTo(250);
    }

    @Test
    void badRequestsShouldBeRefusedNamingTheField() throws Exception {
        WebAdmin webAdmin = relayed.webAdmin();
        String before = Files.readString(relayed.server().conf("TrustedHosts"));

        HttpResponse<String> badPrefix = webAdmin.post(PATH, "{\"network\":\"10.0.0.0/33\"}");
        assertThat(badPrefix.statusCode()).isEqualTo(400);
        assertThat(badPrefix.body()).contains("\"statusCode\":400").contains("network: '10.0.0.0/33' is not an IP address or CIDR block");
        assertThat(webAdmin.post(PATH, "{\"network\":\"mail.example.com\"}").statusCode()).isEqualTo(400);
        assertThat(webAdmin.post(PATH, "{\"cidr\":\"10.0.0.0/8\"}").body()).contains("network");
        assertThat(webAdmin.post(PATH, "not json").statusCode()).isEqualTo(400);
        HttpResponse<String> duplicate = webAdmin.post(PATH, "{\"network\":\"127.0.0.1/32\"}");
        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertThat(duplicate.body()).contains("already trusted");
        assertThat(webAdmin.delete(PATH + "?network=10.9.9.0/24").statusCode()).isEqualTo(404);
        assertThat(Files.readString(relayed.server().conf("TrustedHosts"))).isEqualTo(before);
    }

    @Test
    void concurrentWritersShouldLoseNoUpdate() throws Exception {
        WebAdmin webAdmin = relayed.webAdmin();
        ExecutorService writers = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String network = "10.0." + i + ".0/24";
                statuses.add(writers.submit(() -> webAdmin.post(PATH, "{\"network\":\"" + network + "\"}").statusCode()));
            }
            for (Future<Integer> status : statuses) {
                assertThat(status.get()).isEqualTo(201);
            }
        } finally {
            writers.shutdownNow();
        }

        List<String> lines = Files.readAllLines(relayed.server().conf("TrustedHosts"));
        for (int i = 0; i < 40; i++) {
            assertThat(lines).contains("10.0." + i + ".0/24");
        }
        assertThat(lines).hasSize(42);
    }

    private int rcptFrom(InetAddress address) throws Exception {
        try (SmtpClient smtp = SmtpClient.connect(relayed.server().smtpPort(), address)) {
            assertThat(smtp.mailFrom("app@example.com")).isEqualTo(250);
            return smtp.rcptTo("user@example.net");
        }
    }
}
