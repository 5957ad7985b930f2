package io.sendonly.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Table parsing against golden files: {@code NAME.in} is the table, {@code NAME.expected} the answers. */
class TablesGoldenTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({"refile, true", "plain, false"})
    void signingTableLookupsShouldMatchGoldenFile(String name, boolean refile) throws IOException {
        SigningTable table = SigningTable.parse(lines(name + ".in"), name + ".in", refile);

        for (String expected : lines(name + ".expected")) {
            String[] parts = expected.split(" -> ", -1);
            assertThat(String.join(",", table.lookup(parts[0]))).as(parts[0]).isEqualTo(parts[1]);
        }
    }

    @Test
    void keyTableShouldMatchGoldenFile() throws IOException {
        KeyTable table = KeyTable.parse(lines("keytable.in"), "keytable.in");

        List<String> actual = table.entries().stream()
            .map(entry -> entry.name() + " -> " + entry.domain() + " " + entry.selector() + " " + entry.keyPath() + " (" + entry.location() + ")")
            .collect(Collectors.toList());
        assertThat(actual).isEqualTo(lines("keytable.expected"));
        assertThat(table.get("any-domain").orElseThrow().domainFor("example.org")).isEqualTo("example.org");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "only-a-name| KeyTable:2: expected 'keyname domain:selector:keypath'",
        "k example.com:mail| KeyTable:2: 'example.com:mail' is not domain:selector:keypath",
        "k :mail:/x| KeyTable:2: ':mail:/x' is not domain:selector:keypath",
        "first other.com:s:/y| KeyTable:2: key name 'first' is already defined at KeyTable:1",
    })
    void keyTableErrorsShouldNameFileAndLine(String badLine, String message) {
        assertThatThrownBy(() -> KeyTable.parse(List.of("first example.com:mail:/x", badLine), "KeyTable"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "*@example.com| false| SigningTable:2: '*@example.com' has a wildcard: use the refile: form",
        "*@example.com| true| SigningTable:2: expected 'pattern keyname'",
        "*@example.com key extra| true| SigningTable:2: expected 'pattern keyname'",
    })
    void signingTableErrorsShouldNameFileAndLine(String badLine, boolean refile, String message) {
        List<String> table = refile ? List.of("# comment", badLine) : List.of("# comment", badLine + " key");
        assertThatThrownBy(() -> SigningTable.parse(table, "SigningTable", refile))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(message);
    }

    private static List<String> lines(String resource) throws IOException {
        try (InputStream in = TablesGoldenTest.class.getResourceAsStream("/tables/" + resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
