package io.sendonly.webadmin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrustedNetworksRoutesTest {
    @TempDir
    Path workingDirectory;

    private Path trustedHosts;
    private RoutesServer server;

    @BeforeEach
    void setUp() throws Exception {
        ServerConf conf = new ServerConf(workingDirectory);
        trustedHosts = conf.conf().resolve("TrustedHosts");
        Files.writeString(trustedHosts, "# who may relay\n127.0.0.1\n");
        server = RoutesServer.start(new TrustedNetworksRoutes(conf.files()));
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void getShouldListTheEntriesInFileOrder() throws Exception {
        Files.writeString(trustedHosts, "10.0.0.0/8 # office\n127.0.0.1\n");

        assertThat(server.get(TrustedNetworksRoutes.BASE_PATH).body()).isEqualTo("[\"10.0.0.0/8\",\"127.0.0.1\"]");
    }

    @Test
    void postShouldAppendTheNetworkAndKeepTheComments() throws Exception {
        HttpResponse<String> response = server.post(TrustedNetworksRoutes.BASE_PATH, "{\"network\":\"172.18.0.0/16\"}");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(Files.readString(trustedHosts)).isEqualTo("# who may relay\n127.0.0.1\n172.18.0.0/16\n");
    }

    @Test
    void postShouldAnswer409ForAListedNetwork() throws Exception {
        HttpResponse<String> response = server.post(TrustedNetworksRoutes.BASE_PATH, "{\"network\":\"127.0.0.1\"}");

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.body()).contains("network: 127.0.0.1 is already trusted");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mail.example.com", "10.0.0.0/33", "10.0.0", "!10.0.0.1", "10.0.0.1 10.0.0.2"})
    void postShouldAnswer400NamingTheFieldForAnythingButAnAddressOrBlock(String network) throws Exception {
        HttpResponse<String> response = server.post(TrustedNetworksRoutes.BASE_PATH, "{\"network\":\"" + network + "\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("network: '" + network + "' is not an IP address or CIDR block");
        assertThat(Files.readString(trustedHosts)).isEqualTo("# who may relay\n127.0.0.1\n");
    }

    @Test
    void postShouldAnswer400ForALineBreakRatherThanWriteASecondLine() throws Exception {
        HttpResponse<String> response = server.post(TrustedNetworksRoutes.BASE_PATH, "{\"network\":\"10.0.0.1\\n0.0.0.0/0\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Files.readString(trustedHosts)).isEqualTo("# who may relay\n127.0.0.1\n");
    }

    @Test
    void postShouldAnswer400ForABodyThatIsNotAJsonObject() throws Exception {
        assertThat(server.post(TrustedNetworksRoutes.BASE_PATH, "10.0.0.1").statusCode()).isEqualTo(400);
        assertThat(server.post(TrustedNetworksRoutes.BASE_PATH, "[\"10.0.0.1\"]").body()).contains("the body is not a JSON object");
        assertThat(server.post(TrustedNetworksRoutes.BASE_PATH, "{\"network\":5}").body()).contains("network: expected a string");
    }

    @Test
    void deleteShouldRemoveTheNetwork() throws Exception {
        HttpResponse<String> response = server.delete(TrustedNetworksRoutes.BASE_PATH + "?network=127.0.0.1");

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(Files.readString(trustedHosts)).isEqualTo("# who may relay\n");
    }

    @Test
    void deleteShouldAnswer404ForANetworkNotListed() throws Exception {
        HttpResponse<String> response = server.delete(TrustedNetworksRoutes.BASE_PATH + "?network=10.0.0.1");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("network: 10.0.0.1 is not in the trusted networks");
    }

    @Test
    void anEditOfAFileTheServerWouldRefuseShouldAnswer400NamingFileAndLine() throws Exception {
        Files.writeString(trustedHosts, "127.0.0.1\nnot a network\n");

        HttpResponse<String> response = server.post(TrustedNetworksRoutes.BASE_PATH, "{\"network\":\"10.0.0.1\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("network: " + trustedHosts + ":2: 'not a network'");
        assertThat(Files.readString(trustedHosts)).isEqualTo("127.0.0.1\nnot a network\n");
    }
}
