package io.sendonly.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.sendonly.config.EditableTable;
import io.sendonly.server.testing.TestCa;

class TlsPolicyTableTest {
    @TempDir
    Path conf;

    @Test
    void loadShouldReadPostfixPolicyLines() throws Exception {
        TestCa.create("pinned").writeCertificate(conf.resolve("pinned.pem"));
        TlsPolicyTable table = load(
            "# pins",
            "example.org      secure match=nexthop:.mail.example.org tafile=pinned.pem",
            ".example.net     encrypt",
            "[relay.example]:587 verify",
            "legacy.example   none   # clear text only");

        assertThat(table.forDomain("example.org")).map(TlsPolicyTable.Policy::level).contains(SecurityLevel.SECURE);
        assertThat(table.forDomain("example.org").orElseThrow().match()).containsExactly("nexthop", ".mail.example.org");
        assertThat(table.forDomain("Sub.Example.NET")).map(TlsPolicyTable.Policy::level).contains(SecurityLevel.ENCRYPT);
        assertThat(table.forDomain("example.net")).isEmpty();
        assertThat(table.forSmartHost("relay.example", 587)).map(TlsPolicyTable.Policy::level).contains(SecurityLevel.VERIFY);
        assertThat(table.forSmartHost("relay.example", 25)).isEmpty();
        assertThat(table.forDomain("legacy.example")).map(TlsPolicyTable.Policy::level).contains(SecurityLevel.NONE);
    }

    /** {@code tls_policy.in} is the table, {@code tls_policy.expected} what each destination gets ({@code -}: no entry). */
    @Test
    void lookupsShouldFollowTheGoldenFile() throws Exception {
        TlsPolicyTable table = TlsPolicyTable.parse(resource("tls_policy.in"), "tls_policy.in", any -> null);

        for (String expected : resource("tls_policy.expected")) {
            String[] parts = expected.split(" -> ");
            String key = parts[0];
            Optional<TlsPolicyTable.Policy> policy = key.startsWith("[")
                ? table.forSmartHost(key.substring(1, key.indexOf(']')), Integer.parseInt(key.substring(key.indexOf("]:") + 2)))
                : table.forDomain(key);
            assertThat(policy.map(found -> String.join(" ", found.level().word(), String.join(":", found.match())).trim()).orElse("-"))
                .as(key).isEqualTo(parts[1]);
        }
    }

    @Test
    void forDomainShouldPreferTheExactEntryOverTheParentOne() {
        TlsPolicyTable table = load(".example.org encrypt", "mx.example.org none");

        assertThat(table.forDomain("mx.example.org")).map(TlsPolicyTable.Policy::level).contains(SecurityLevel.NONE);
        assertThat(table.forDomain("a.mx.example.org")).map(TlsPolicyTable.Policy::level).contains(SecurityLevel.ENCRYPT);
    }

    @Test
    void aBracketedHostWithoutPortShouldMeanPort25() {
        assertThat(load("[127.0.0.61] encrypt").forSmartHost("127.0.0.61", 25)).isPresent();
    }

    @Test
    void matchShouldDefaultAsPostfixDoes() {
        TlsPolicyTable table = load("a.example verify", "b.example secure");

        assertThat(table.forDomain("a.example").orElseThrow().match()).containsExactly("hostname");
        assertThat(table.forDomain("b.example").orElseThrow().match()).containsExactly("nexthop", "dot-nexthop");
        assertThat(TlsPolicyTable.referenceNames(List.of("nexthop", "dot-nexthop", "hostname"), "b.example"))
            .containsExactly("b.example", ".b.example", "hostname");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "example.org                 | :1: expected 'KEY LEVEL",
        "example.org strict          | :1: unknown TLS security level 'strict'",
        "example.org may match=x.org | :1: match= and tafile= apply to verify and secure, not may",
        "example.org secure match=a..b | :1: match: 'a..b'",
        "example.org verify tafile=missing.pem | :1: tafile: ",
        "exa_mple verify             | :1: key: 'exa_mple'",
        "[relay]:99999 verify        | :1: key: '[relay]:99999': port must be 1 to 65535",
        "example.org verify color=red | :1: 'color=red': expected match=NAME:NAME... or tafile=FILE",
    })
    void loadShouldNameFileAndLineOfABadLine(String line, String message) {
        assertThatThrownBy(() -> load(line)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith(conf.resolve("tls_policy").toString() + message.trim());
    }

    @Test
    void loadShouldRefuseASecondLineForAKey() {
        assertThatThrownBy(() -> load("example.org encrypt", "# x", "EXAMPLE.org may"))
            .hasMessage(conf.resolve("tls_policy") + ":3: 'example.org' has a line already");
    }

    @Test
    void loadShouldRefuseATafileWithoutCertificate() throws Exception {
        Files.writeString(conf.resolve("empty.pem"), "");

        assertThatThrownBy(() -> load("example.org verify tafile=empty.pem"))
            .hasMessageContaining(":1: trust anchor file").hasMessageContaining("empty.pem");
    }

    @Test
    void formatShouldWriteWhatParseReads() {
        TlsPolicyTable.Entry entry = new TlsPolicyTable.Entry("Example.ORG", SecurityLevel.SECURE, List.of("nexthop", "mx.example.org"),
            Optional.of("ca.pem"));

        String line = TlsPolicyTable.FORMAT.format(entry);

        assertThat(line).isEqualTo("example.org secure match=nexthop:mx.example.org tafile=ca.pem");
        assertThat(TlsPolicyTable.FORMAT.parse(line)).isEqualTo(entry);
    }

    @Test
    void formatShouldRefuseWhatCouldNotBeReadBack() {
        assertThatThrownBy(() -> TlsPolicyTable.FORMAT.format(new TlsPolicyTable.Entry("example.org", SecurityLevel.VERIFY, List.of(),
            Optional.of("ca.pem # x")))).hasMessageStartingWith("tafile:");
    }

    @Test
    void editingShouldKeepCommentsAndUntouchedLines() {
        EditableTable<TlsPolicyTable.Entry> table = EditableTable.parse(List.of("# pins", "example.org   encrypt  # why"),
            TlsPolicyTable.FORMAT, "tls_policy");

        List<String> lines = table.add(new TlsPolicyTable.Entry("example.net", SecurityLevel.MAY, List.of(), Optional.empty())).lines();

        assertThat(lines).containsExactly("# pins", "example.org   encrypt  # why", "example.net may");
    }

    private static List<String> resource(String name) throws Exception {
        try (var in = TlsPolicyTableTest.class.getResourceAsStream("/tls_policy/" + name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        }
    }

    private TlsPolicyTable load(String... lines) {
        return TlsPolicyTable.load(List.of(lines), conf.resolve("tls_policy"));
    }
}
