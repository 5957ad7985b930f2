package io.sendonly.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.sendonly.server.testing.OperatorCommands;
import io.sendonly.server.testing.OperatorCommands.Result;
import io.sendonly.server.testing.RelayedServer;

/** {@code bin/sendonly suppressions} against the real server, each refusal with its sysexits code. */
class SuppressionCommandsIntegrationTest {
    @RegisterExtension
    final RelayedServer relayed = new RelayedServer();

    private OperatorCommands commands;

    @BeforeEach
    void setUp() throws Exception {
        commands = OperatorCommands.of(relayed.server());
    }

    @Test
    void suppressionsShouldBeAddedListedShownAndRemoved() {
        assertThat(suppressions("add", "gone@example.net", "--expires=7d").exitCode()).isZero();
        assertThat(suppressions("add", "gone@example.net", "--sender-domain=shop.example").exitCode()).isZero();
        assertThat(suppressions("add", "other@example.org").exitCode()).isZero();

        Result listed = suppressions("list", "--search=example.net");
        assertThat(listed.exitCode()).isZero();
        assertThat(listed.out().lines()).hasSize(3)
            .first().asString().startsWith("ADDRESS").contains("SENDER DOMAIN", "EXPIRES", "REPLY");
        assertThat(listed.out()).contains("gone@example.net  *  ", "gone@example.net  shop.example  ").doesNotContain("other@example.org");
        assertThat(suppressions("list", "--offset=2", "--limit=1").out().lines()).hasSize(2)
            .last().asString().startsWith("other@example.org");

        assertThat(suppressions("remove", "gone@example.net", "--sender-domain=shop.example").exitCode()).isZero();
        assertThat(suppressions("show", "gone@example.net").out().lines()).hasSize(2)
            .last().asString().contains(" * ").contains("manual");
        assertThat(suppressions("remove", "gone@example.net").exitCode()).isZero();
        Result absent = suppressions("show", "gone@example.net");
        assertThat(absent.exitCode()).isEqualTo(67);
        assertThat(absent.err()).isEqualTo("sendonly: address: gone@example.net is not suppressed\n");
    }

    @Test
    void suppressionsShouldRefuseWhatTheServerRefuses() {
        Result garbage = suppressions("add", "not-an-address");
        Result absent = suppressions("remove", "nobody@example.net");
        Result usage = suppressions("add");

        assertThat(garbage.exitCode()).isEqualTo(65);
        assertThat(garbage.err()).startsWith("sendonly: address: 'not-an-address': expected an email address");
        assertThat(absent.exitCode()).isEqualTo(67);
        assertThat(usage.exitCode()).isEqualTo(64);
        assertThat(usage.err()).isEqualTo("sendonly: suppressions add: missing ADDRESS\n");
    }

    private Result suppressions(String... args) {
        return commands.run(Stream.concat(Stream.of("sendonly", "suppressions"), Stream.of(args)).toArray(String[]::new));
    }
}
