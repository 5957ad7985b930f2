package io.sendonly.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/** Where a command reads and writes; secrets are typed at the console without echo, or piped on standard input. */
record Terminal(InputStream in, PrintStream out, PrintStream err, Optional<Console> console) {
    /** A password, never from the command line: asked twice at the console, or the first line of standard input. */
    String password(String prompt) throws CliException {
        if (console.isPresent()) {
            char[] first = console.get().readPassword("%s: ", prompt);
            char[] again = console.get().readPassword("%s again: ", prompt);
            if (first == null || again == null || !Arrays.equals(first, again)) {
                throw new CliException(CliException.EX_DATAERR, "the passwords differ");
            }
            return new String(first);
        }
        String line = firstLine();
        if (line.isEmpty()) {
            throw new CliException(CliException.EX_DATAERR, "no password on standard input");
        }
        return line;
    }

    /** The first line of standard input, without its line end; empty when there is none. */
    String firstLine() throws CliException {
        try {
            String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
            return line == null ? "" : line;
        } catch (IOException e) {
            throw new CliException(CliException.EX_DATAERR, "cannot read standard input: " + e.getMessage());
        }
    }

    /** All of standard input, e.g. a PEM key. */
    String all() throws CliException {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliException(CliException.EX_DATAERR, "cannot read standard input: " + e.getMessage());
        }
    }
}
