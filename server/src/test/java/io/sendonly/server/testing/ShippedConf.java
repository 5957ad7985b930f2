package io.sendonly.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;

/** The james-conf/ profile exactly as shipped (copied onto the test classpath by the build). */
public final class ShippedConf {
    private ShippedConf() {
    }

    public static Path directory() {
        try {
            return Paths.get(ShippedConf.class.getClassLoader().getResource("sendonly-conf/smtpserver.xml").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void copyTo(Path confDirectory) {
        Path shipped = directory();
        try (Stream<Path> files = Files.walk(shipped)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = confDirectory.resolve(shipped.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
