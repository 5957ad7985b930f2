package io.sendonly.server.webadmin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.sendonly.server.testing.RelayedServer;

/** James's {@code /users} routes on our users file: a name the file cannot hold is refused, the server always starts. */
class UsersRoutesIntegrationTest {
    @RegisterExtension
    final RelayedServer relayed = new RelayedServer();

    @Test
    void namesTheUsersFileCannotHoldShouldBeRefused() throws Exception {
        assertThat(relayed.webAdmin().put("/users/webapp", "{\"password\":\"a long secret\"}").statusCode()).isEqualTo(204);
        Path users = relayed.server().workingDirectory().resolve("var/users/passwd");
        String before = Files.readString(users);

        for (String name : new String[] {"tab%09user", "cr%0Duser", "lf%0Auser", "nul%00user", "space%20user", "x".repeat(300)}) {
            HttpResponse<String> created = relayed.webAdmin().put("/users/" + name, "{\"password\":\"a long secret\"}");
            assertThat(created.statusCode()).as(name + ": " + created.body()).isEqualTo(400);
        }

        assertThat(Files.readString(users)).isEqualTo(before);
        relayed.server().restart();
        assertThat(relayed.webAdmin().get("/users").body()).isEqualTo("[{\"username\":\"webapp\"}]");
    }
}
