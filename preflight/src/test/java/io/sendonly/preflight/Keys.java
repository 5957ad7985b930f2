package io.sendonly.preflight;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.sendonly.dkim.GenKey;
import io.sendonly.dkim.TxtPresentation;

/** RSA keys made by our genkey, for the DKIM checks. */
final class Keys {
    private Keys() {
    }

    /** @return the key file {@code folder/SELECTOR.private}; its record is {@link #record} */
    static Path generate(Path folder, String domain, String selector) throws IOException {
        Files.createDirectories(folder);
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int exit = GenKey.run(new String[] {"-b", "1024", "-d", domain, "-s", selector, "-D", folder.toString()},
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(errors, true, StandardCharsets.UTF_8));
        if (exit != 0) {
            throw new IOException("genkey: " + errors.toString(StandardCharsets.UTF_8));
        }
        return folder.resolve(selector + ".private");
    }

    /** The TXT record genkey wrote for the key. */
    static String record(Path keyFile, String selector) throws IOException {
        return TxtPresentation.text(Files.readString(keyFile.resolveSibling(selector + ".txt")));
    }
}
