package io.sendonly.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.sendonly.server.testing.OperatorCommands;
import io.sendonly.server.testing.OperatorCommands.Result;
import io.sendonly.server.testing.RelayedServer;

/**
 * bin/sendonly's configuration verbs against the real server: what each changes is what webadmin then lists, and
 * each refusal exits with its sysexits code and the server's reason.
 */
class AdminCommandsIntegrationTest {
    @RegisterExtension
    final RelayedServer relayed = new RelayedServer(server -> server.trustedHosts("127.0.0.0/8\n"));

    private OperatorCommands commands;

    @BeforeEach
    void setUp() throws Exception {
        commands = OperatorCommands.of(relayed.server());
    }

    @Test
    void networksShouldBeAddedListedAndRemoved() throws Exception {
        assertThat(sendonly("networks", "add", "172.18.0.0/16").exitCode()).isZero();

        assertThat(sendonly("networks", "list").out()).isEqualTo("127.0.0.0/8\n172.18.0.0/16\n");
        assertThat(Files.readString(relayed.server().conf("TrustedHosts"))).contains("172.18.0.0/16");
        assertThat(sendonly("networks", "remove", "172.18.0.0/16").exitCode()).isZero();
        assertThat(sendonly("networks", "list").out()).isEqualTo("127.0.0.0/8\n");
    }

    @Test
    void networksShouldRefuseWhatTheServerRefuses() {
        Result garbage = sendonly("networks", "add", "not-a-network");
        Result twice = sendonly("networks", "add", "127.0.0.0/8");
        Result absent = sendonly("networks", "remove", "10.0.0.0/8");

        assertThat(garbage.exitCode()).isEqualTo(65);
        assertThat(garbage.err()).isEqualTo("sendonly: network: 'not-a-network' is not an IP address or CIDR block\n");
        assertThat(twice.exitCode()).isEqualTo(65);
        assertThat(twice.err()).contains("already trusted");
        assertThat(absent.exitCode()).isEqualTo(67);
        assertThat(absent.err()).contains("is not in the trusted networks");
    }

    @Test
    void usersShouldTakeTheirPasswordFromStandardInput() {
        Result added = commands.runWithInput("a long secret\n", "sendonly", "users", "add", "webapp");

        assertThat(added.exitCode()).isZero();
        assertThat(sendonly("users", "list").out()).isEqualTo("webapp\n");
        assertThat(commands.runWithInput("another secret\n", "sendonly", "users", "add", "webapp").exitCode()).isEqualTo(65);
        assertThat(commands.runWithInput("another secret\n", "sendonly", "users", "password", "webapp").exitCode()).isZero();
        assertThat(sendonly("users", "delete", "webapp").exitCode()).isZero();
        assertThat(sendonly("users", "list").out()).isEmpty();
    }

    @Test
    void usersShouldRefuseAnEmptyPassword() {
        Result added = commands.runWithInput("", "sendonly", "users", "add", "webapp");

        assertThat(added.exitCode()).isEqualTo(65);
        assertThat(added.err()).isEqualTo("sendonly: no password on standard input\n");
        assertThat(sendonly("users", "list").out()).isEmpty();
    }

    @Test
    void routesShouldBeAddedListedWithoutPasswordsAndRemoved() throws Exception {
        assertThat(sendonly("routes", "add", "recipient", "partner.example", "[mx.partner.example]:25").exitCode()).isZero();
        Result fromInput = commands.runWithInput("smtp.mailgun.org smtp --port=587 --starttls --user=postmaster@billing.example.com --pass=s3cret\n",
            "sendonly", "routes", "add", "sender", "billing.example.com", "-");
        assertThat(sendonly("routes", "add", "default", "smtp.backup.example", "smtp", "--port=465", "--ssl").exitCode()).isZero();

        assertThat(fromInput.exitCode()).isZero();
        assertThat(Files.readString(relayed.server().conf("routes"))).contains("--pass=s3cret");
        assertThat(sendonly("routes", "list").out()).isEqualTo("""
            MATCH      DOMAIN               HOP
            recipient  partner.example      [mx.partner.example]:25 may
            sender     billing.example.com  [smtp.mailgun.org]:587 verify user=postmaster@billing.example.com
            default    -                    [127.0.0.1]:%d may
            default    -                    [smtp.backup.example]:465 verify ssl
            """.formatted(relayed.sink().port()));
        assertThat(sendonly("routes", "remove", "sender", "billing.example.com").exitCode()).isZero();
        assertThat(sendonly("routes", "remove", "default").exitCode()).isZero();
        assertThat(sendonly("routes", "list").out()).doesNotContain("billing.example.com", "smtp.backup.example");
    }

    @Test
    void routesShouldRefuseWhatTheServerRefuses() {
        Result badMatch = sendonly("routes", "add", "nobody", "example.org", "direct");
        Result absent = sendonly("routes", "remove", "recipient", "example.org");
        Result noHop = sendonly("routes", "add", "default");

        assertThat(badMatch.exitCode()).isEqualTo(65);
        assertThat(badMatch.err()).contains("match: 'nobody': expected recipient, sender or default");
        assertThat(absent.exitCode()).isEqualTo(67);
        assertThat(noHop.exitCode()).isEqualTo(64);
    }

    @Test
    void keysAndSigningTableShouldBeManagedTogether() {
        Result created = sendonly("keys", "new", "example.org", "s2027", "--bits=1024");

        assertThat(created.exitCode()).isZero();
        assertThat(created.out()).startsWith("s2027._domainkey.example.org: created; publish this TXT record at s2027._domainkey.example.org:\n")
            .contains("k=rsa; p=");
        assertThat(sendonly("keys", "list").out()).containsPattern("\ns2027._domainkey.example.org +rsa-sha256 +1024 +\\d{4}-\\d\\d-\\d\\d +no\n");
        assertThat(sendonly("signing", "add", "*@example.org", "s2027._domainkey.example.org").exitCode()).isZero();
        assertThat(sendonly("signing", "list").out()).isEqualTo("""
            PATTERN        KEY
            *@example.org  s2027._domainkey.example.org
            """);
        Result inUse = sendonly("keys", "delete", "s2027._domainkey.example.org");
        assertThat(inUse.exitCode()).isEqualTo(65);
        assertThat(sendonly("signing", "remove", "*@example.org").exitCode()).isZero();
        assertThat(sendonly("keys", "delete", "s2027._domainkey.example.org").exitCode()).isZero();
        assertThat(sendonly("keys", "delete", "s2027._domainkey.example.org").exitCode()).isEqualTo(67);
    }

    @Test
    void keysShouldRefuseWhatTheServerRefuses() {
        Result imported = commands.runWithInput("not a key\n", "sendonly", "keys", "import", "example.org", "old");
        Result badBits = sendonly("keys", "new", "example.org", "s1", "--bits=512");
        Result unknown = sendonly("keys", "dns", "nope._domainkey.example.org");

        assertThat(imported.exitCode()).isEqualTo(65);
        assertThat(imported.err()).startsWith("sendonly: privateKey:");
        assertThat(badBits.exitCode()).isEqualTo(65);
        assertThat(badBits.err()).startsWith("sendonly: bits:");
        assertThat(unknown.exitCode()).isEqualTo(67);
    }

    @Test
    void tlsPoliciesShouldBeSetListedReplacedAndDeleted() throws Exception {
        assertThat(sendonly("tls-policy", "set", "example.org", "secure", "match=nexthop:.mail.example.org").exitCode()).isZero();
        assertThat(sendonly("tls-policy", "set", "[relay.example]:587", "encrypt").exitCode()).isZero();
        assertThat(sendonly("tls-policy", "set", "EXAMPLE.org", "verify").exitCode()).isZero();

        assertThat(sendonly("tls-policy", "list").out()).isEqualTo("example.org verify\n[relay.example]:587 encrypt\n");
        assertThat(Files.readString(relayed.server().conf("tls_policy"))).endsWith("example.org verify\n[relay.example]:587 encrypt\n");
        assertThat(sendonly("tls-policy", "delete", "[relay.example]:587").exitCode()).isZero();
        assertThat(sendonly("tls-policy", "list").out()).isEqualTo("example.org verify\n");
    }

    @Test
    void tlsPoliciesShouldRefuseWhatWouldNotLoad() {
        Result level = sendonly("tls-policy", "set", "example.org", "strict");
        Result tafile = sendonly("tls-policy", "set", "example.org", "verify", "tafile=missing.pem");
        Result absent = sendonly("tls-policy", "delete", "example.net");

        assertThat(level.exitCode()).isEqualTo(65);
        assertThat(level.err()).contains("unknown TLS security level 'strict'");
        assertThat(tafile.exitCode()).isEqualTo(65);
        assertThat(tafile.err()).contains("missing.pem is not readable");
        assertThat(absent.exitCode()).isEqualTo(67);
        assertThat(sendonly("tls-policy", "list").out()).isEmpty();
    }

    private Result sendonly(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "sendonly";
        System.arraycopy(args, 0, command, 1, args.length);
        return commands.run(command);
    }
}
