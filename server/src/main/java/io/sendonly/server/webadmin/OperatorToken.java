package io.sendonly.server.webadmin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The operator's webadmin credential: a random token in {@code var/webadmin/token}, made at first start with mode
 * 0600 in a 0700 folder, read by {@code bin/sendonly} and the documented curl lines. Never logged, never answered.
 */
public final class OperatorToken {
    public static final String FILE = "var/webadmin/token";
    private static final int MINIMUM_LENGTH = 32;

    private final byte[] token;

    private OperatorToken(String token) {
        this.token = token.getBytes(StandardCharsets.US_ASCII);
    }

    /** The token of {@code file}, created when missing; refused when others may read it, as ssh refuses a key. */
    public static OperatorToken loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            create(file);
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (permissions.stream().anyMatch(permission -> permission.name().startsWith("GROUP") || permission.name().startsWith("OTHERS"))) {
            throw new IllegalStateException(file + ": the webadmin token is readable by other users (mode "
                + PosixFilePermissions.toString(permissions) + "): chmod 600 " + file);
        }
        // Every byte decodes in ISO-8859-1, so that a non-ASCII byte meets the check below, not a decoding error.
        String token = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).trim();
        if (token.length() < MINIMUM_LENGTH || !token.chars().allMatch(c -> c > ' ' && c < 127)) {
            throw new IllegalStateException(file + ": expected a token of at least " + MINIMUM_LENGTH
                + " printable characters; delete the file to have a new one made");
        }
        return new OperatorToken(token);
    }

    private static void create(Path file) throws IOException {
        Files.createDirectories(file.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        Path temporary = Files.createTempFile(file.getParent(), ".token", ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temporary, Base64.getUrlEncoder().withoutPadding().encodeToString(random) + "\n", StandardCharsets.US_ASCII);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** In constant time, so that the answer's timing tells nothing of the token. */
    public boolean matches(String presented) {
        return MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.US_ASCII));
    }
}
