package io.sendonly.server.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import org.junit.jupiter.api.Test;

class DocumentedCommandsTest {
    @Test
    void shouldFindCurlAndBinCommandsInShellBlocksAndInlineSpans() {
        String markdown = String.join("\n",
            "| health | `curl http://127.0.0.1:8000/healthcheck` |",
            "Prose names `bin/sendmail -t` and `curl --json`; a table names `bin/genkey` alone.",
            "```sh",
            "# a comment",
            "bin/sendonly networks list",
            "printf 'secret\\n' | bin/sendonly users add webapp",
            "tar -xzf x.tar.gz",
            "curl --json '{\"a\":1}' \\",
            "  http://127.0.0.1:8000/x",
            "```",
            "```properties",
            "bin/not-a-command=1",
            "```",
            "| do | `bin/sendonly keys list` (204) | `bin/genkey` |");

        assertThat(DocumentedCommands.in(markdown)).extracting(DocumentedCommands.Command::line, DocumentedCommands.Command::text)
            .containsExactly(
                tuple(1, "curl http://127.0.0.1:8000/healthcheck"),
                tuple(5, "bin/sendonly networks list"),
                tuple(6, "printf 'secret\\n' | bin/sendonly users add webapp"),
                tuple(8, "curl --json '{\"a\":1}' http://127.0.0.1:8000/x"),
                tuple(14, "bin/sendonly keys list"));
    }

    @Test
    void shouldLeaveOutCommandsThatStartAServer() {
        String markdown = "```sh\nbin/james-sendonly\ncd x && bin/docker-entrypoint\n```\n`bin/james-sendonly`\n";

        assertThat(DocumentedCommands.in(markdown)).isEmpty();
    }
}
