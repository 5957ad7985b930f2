package io.sendonly.cli;

import java.io.Console;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code bin/sendonly}: the operator's command, through the server's webadmin API with the credential in
 * {@code var/webadmin/token}. Also {@code bin/mailq}, {@code bin/postqueue}, {@code bin/postcat} and
 * {@code bin/postsuper}, as Postfix's ({@link PostfixCommands}): the first argument is the program name.
 * Exit codes (sysexits.h): 0 done, 1 a preflight check failed, 64 usage, 65 input refused (HTTP 400, 409), 67 no such queue id, user, key or
 * entry (404), 69 webadmin unreachable, 70 internal error, 75 temporary failure (HTTP 5xx, a DNS record still
 * missing), 77 credential unreadable or refused, 78 configuration unreadable.
 */
public final class Sendonly {
    static final String USAGE = """
        usage: sendonly RESOURCE VERB [ARGUMENTS]
          queue list                         the deferred mail, as mailq (also: mailq, postqueue -p, sendmail -bp)
          queue show ID                      one mail's envelope and message (also: postcat -q ID)
          queue delete ID...                 removes mail from the queue, undelivered (also: postsuper -d ID)
          queue flush                        delivers deferred mail now (also: postqueue -f, sendmail -q)
          keys list [--dns]                  DKIM keys; --dns checks each key's DNS record
          keys new DOMAIN SELECTOR [--algorithm=rsa|ed25519] [--bits=2048]
                                             a new key; prints the TXT record to publish
          keys import DOMAIN SELECTOR [--public-key=P] < SELECTOR.private
                                             an existing key (Ed25519 needs its p= value as --public-key)
          keys dns NAME                      is the key's record published? (0 yes, 75 missing, 65 mismatch)
          keys delete NAME                   NAME is SELECTOR._domainkey.DOMAIN
          signing list                       the SigningTable, first match wins
          signing add PATTERN KEY [--first] signs PATTERN (e.g. '*@example.com') with KEY
          signing rotate PATTERN KEY [--force]
                                             PATTERN's entries sign with KEY, once its record is published
          signing remove PATTERN [KEY]
          routes list
          routes add recipient|sender DOMAIN HOP | routes add default HOP
                                             HOP as in conf/routes; '-' reads it from standard input
          routes remove recipient|sender DOMAIN | routes remove default
          tls-policy list | set KEY LEVEL [match=NAME:NAME...] [tafile=FILE] | delete KEY
                                             conf/tls_policy: pins a destination's TLS (KEY: domain,
                                             .domain or [host]:port; LEVEL: none, may, encrypt, dane,
                                             verify or secure)
          networks list | add NETWORK | remove NETWORK
                                             clients relaying without AUTH, e.g. 172.18.0.0/16
          users list | add NAME | password NAME | delete NAME
                                             SMTP AUTH users; the password is typed, or read from standard input
          trace --message-id ID | --queue-id ID | --recipient ADDRESS [--since T] [--until T] [--limit N]
                                             what happened to a message: its events, oldest first (T: ISO
                                             instant, e.g. 2026-11-30T12:00:00Z; filters combine; 67 if none)
          suppressions list [--search=TEXT] [--offset=N] [--limit=N]
                                             recipients not attempted after a hard bounce (or added by hand)
          suppressions show ADDRESS
          suppressions add ADDRESS [--sender-domain=DOMAIN] [--expires=7d|2026-12-31T00:00:00Z]
          suppressions remove ADDRESS [--sender-domain=DOMAIN]
          preflight [DOMAIN]                 SPF, DKIM, DMARC, reverse DNS of the sending domains, with the records
                                             to publish, and the Gmail/Yahoo rules (exit 1 when a check fails)
          tls-reports [show]                 today's TLS-RPT counts per recipient domain and policy (UTC day)
          tls-reports send                   sends now the TLS-RPT reports of the days that ended
        """;

    private final Map<String, String> environment;
    private final Terminal terminal;
    private final ZoneId zone;

    public Sendonly(Map<String, String> environment, InputStream in, PrintStream out, PrintStream err, Optional<Console> console,
                    ZoneId zone) {
        this.environment = environment;
        this.terminal = new Terminal(in, out, err, console);
        this.zone = zone;
    }

    public static void main(String[] args) {
        Sendonly sendonly = new Sendonly(System.getenv(), System.in, System.out, System.err, Optional.ofNullable(System.console()),
            ZoneId.systemDefault());
        System.exit(sendonly.run(List.of(args)));
    }

    /** @param args the program name ({@code sendonly}, {@code mailq}, ...) then its arguments */
    public int run(List<String> args) {
        String program = args.isEmpty() ? PostfixCommands.SENDONLY : args.get(0);
        try {
            Command command = Command.parse(PostfixCommands.translate(program, args.subList(Math.min(1, args.size()), args.size())));
            if (command.flag("help")) {
                terminal.out().print(USAGE);
                return 0;
            }
            if (command.words().isEmpty()) {
                terminal.err().print(USAGE);
                return CliException.EX_USAGE;
            }
            return resource(command.words().get(0)).run(command, new Webadmin(Settings.load(environment)), terminal);
        } catch (CliException e) {
            terminal.err().println(program + ": " + e.getMessage());
            return e.exitCode();
        } catch (RuntimeException e) {
            terminal.err().println(program + ": internal error: " + e);
            return CliException.EX_SOFTWARE;
        } finally {
            terminal.out().flush();
        }
    }

    private Resource resource(String name) throws CliException {
        return switch (name) {
            case "queue" -> new QueueResource(zone);
            case "keys" -> new KeyResource();
            case "signing" -> new SigningResource();
            case "routes" -> new RouteResource();
            case "tls-policy" -> new TlsPolicyResource();
            case "networks" -> new NetworkResource();
            case "users" -> new UserResource();
            case "trace" -> new TraceResource(zone);
            case "suppressions" -> new SuppressionResource();
            case "preflight" -> new PreflightResource();
            case "tls-reports" -> new TlsReportResource();
            default -> throw new CliException(CliException.EX_USAGE, "unknown resource '" + name
                + "'; expected queue, keys, signing, routes, tls-policy, networks, users, trace, suppressions, preflight or tls-reports (sendonly --help)");
        };
    }
}
