package io.sendonly.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Postfix's queue commands as {@code bin/sendonly} commands, for the scripts of the same names:
 * <pre>
 * mailq                  queue list
 * postqueue -p           queue list
 * postqueue -f           queue flush
 * postcat -q ID          queue show ID
 * postsuper -d ID ...    queue delete ID ...   (-d repeated for several)
 * </pre>
 */
final class PostfixCommands {
    static final String SENDONLY = "sendonly";

    private PostfixCommands() {
    }

    /** @return the {@code bin/sendonly} arguments that do what {@code program args} does in Postfix */
    static List<String> translate(String program, List<String> args) throws CliException {
        return switch (program) {
            case SENDONLY -> args;
            case "mailq" -> {
                expect(args.isEmpty(), "usage: mailq");
                yield List.of("queue", "list");
            }
            case "postqueue" -> {
                expect(args.size() == 1 && (args.get(0).equals("-p") || args.get(0).equals("-f")), "usage: postqueue -p | -f");
                yield List.of("queue", args.get(0).equals("-p") ? "list" : "flush");
            }
            case "postcat" -> {
                expect(args.size() == 2 && args.get(0).equals("-q"), "usage: postcat -q ID");
                yield List.of("queue", "show", args.get(1));
            }
            case "postsuper" -> {
                List<String> delete = new ArrayList<>(List.of("queue", "delete"));
                for (int i = 0; i < args.size(); i += 2) {
                    expect(args.get(i).equals("-d") && i + 1 < args.size(), "usage: postsuper -d ID [-d ID ...]");
                    delete.add(args.get(i + 1));
                }
                expect(delete.size() > 2, "usage: postsuper -d ID [-d ID ...]");
                yield delete;
            }
            default -> throw new CliException(CliException.EX_SOFTWARE, "unknown program name '" + program + "'");
        };
    }

    private static void expect(boolean condition, String usage) throws CliException {
        if (!condition) {
            throw new CliException(CliException.EX_USAGE, usage);
        }
    }
}
