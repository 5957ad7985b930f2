package io.sendonly.server.files;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.inject.Inject;

import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.lifecycle.api.ConfigurationSanitizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sendonly.server.pickup.MaildropPickup;

/**
 * At start: refuses to run when {@code conf/} or {@code var/} can be written by other users (they could add a
 * trusted network, a route or a key), naming the path; warns when other users can read mail or secrets there:
 * anything under {@code var/} (queue, failed mail, credentials, the webadmin token), and under {@code conf/} the
 * routes (smart-host passwords), DKIM keys and keystores. {@code bin/james-sendonly} runs with umask 077, so what
 * the server writes is private; this catches what was copied in or loosened by hand.
 */
public class PrivateFilesCheck implements ConfigurationSanitizer {
    private static final Logger LOGGER = LoggerFactory.getLogger(PrivateFilesCheck.class);
    private static final PathMatcher SECRET_IN_CONF = java.nio.file.FileSystems.getDefault()
        .getPathMatcher("glob:{routes,dkim/keys/**,**.p12,**.jks,**.pem,**.key,**.private}");
    private static final int NAMED_IN_WARNING = 5;

    private final FileSystem fileSystem;

    @Inject
    public PrivateFilesCheck(FileSystem fileSystem) {
        this.fileSystem = fileSystem;
    }

    @Override
    public void sanitize() throws IOException {
        Path base = fileSystem.getBasedir().toPath();
        Path conf = base.resolve("conf");
        Path var = base.resolve("var");
        refuseWritableByOthers(conf);
        refuseWritableByOthers(var);
        List<Path> readable = new ArrayList<>();
        // Dropped mail is readable by all so that the server can read what other users wrote; MaildropFolder keeps
        // them out of its folder.
        Path maildrop = fileSystem.getFile(MaildropPickup.MAILDROP).toPath();
        readable.addAll(readableByOthers(var, path -> !var.resolve(path).startsWith(maildrop)));
        readable.addAll(readableByOthers(conf, SECRET_IN_CONF::matches));
        if (!readable.isEmpty()) {
            LOGGER.warn("{} files holding mail or secrets are readable by other users, e.g. {}: chmod go= them "
                + "(bin/james-sendonly runs with umask 077, so they were copied in or changed by hand)",
                readable.size(), readable.stream().limit(NAMED_IN_WARNING).map(base::relativize).toList());
        }
    }

    private static void refuseWritableByOthers(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory);
        if (permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IllegalStateException(directory + " is writable by other users (" + PosixFilePermissions.toString(permissions)
                + "): they could change what this server trusts, signs and sends; chmod go-w " + directory);
        }
    }

    /** Regular files that a user other than the owner may read, below {@code root}, whose relative path is {@code kept}. */
    private static List<Path> readableByOthers(Path root, PathMatcher kept) throws IOException {
        List<Path> readable = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return readable;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (attributes.isRegularFile() && kept.matches(root.relativize(file))) {
                    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
                    if (permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                        readable.add(file);
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        return readable;
    }
}
