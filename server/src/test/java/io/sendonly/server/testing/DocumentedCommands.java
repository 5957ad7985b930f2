package io.sendonly.server.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The commands a Markdown page tells an operator to type against a running server: every {@code curl} and
 * {@code bin/} command (also after a pipe) in {@code sh} code blocks, backslash continuations joined, and every
 * such inline code span with arguments in a table row (prose that names a command is not one). Commands that start a server ({@code bin/james-sendonly},
 * {@code bin/docker-entrypoint}) are left out: the test runs one already.
 */
public final class DocumentedCommands {
    private static final Pattern COMMAND = Pattern.compile("(^|\\|\\s*)(curl |bin/)");
    private static final Pattern INLINE = Pattern.compile("`((?:curl\\s|bin/[^`\\s]+\\s)[^`]*)`");
    private static final Pattern STARTS_SERVER = Pattern.compile("(^|[\\s|;&])bin/(james-sendonly|docker-entrypoint)\\b");

    public record Command(int line, String text) {
        @Override
        public String toString() {
            return "line " + line + ": " + text;
        }
    }

    private DocumentedCommands() {
    }

    public static List<Command> in(String markdown) {
        List<Command> commands = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        boolean inShell = false;
        boolean inOtherBlock = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith("```")) {
                String language = line.substring(3).trim();
                if (inShell || inOtherBlock) {
                    inShell = false;
                    inOtherBlock = false;
                } else {
                    inShell = language.equals("sh") || language.equals("bash");
                    inOtherBlock = !inShell;
                }
                continue;
            }
            if (inShell) {
                int first = i;
                String text = line.trim();
                while (text.endsWith("\\") && i + 1 < lines.length) {
                    text = (text.substring(0, text.length() - 1).stripTrailing() + " " + lines[++i].trim()).trim();
                }
                if (COMMAND.matcher(text).find()) {
                    add(commands, first + 1, text);
                }
            } else if (!inOtherBlock && line.startsWith("|")) {
                Matcher inline = INLINE.matcher(line);
                while (inline.find()) {
                    add(commands, i + 1, inline.group(1));
                }
            }
        }
        return commands;
    }

    private static void add(List<Command> commands, int line, String text) {
        if (!STARTS_SERVER.matcher(text).find()) {
            commands.add(new Command(line, text));
        }
    }
}
