package io.sendonly.server.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The fixture most tests share: an {@link SmtpSink} and a {@link TestServer} relaying everything to it, started
 * before each test in a fresh working directory and stopped after it.
 */
public final class RelayedServer implements BeforeEachCallback, AfterEachCallback {
    private final UnaryOperator<TestServer> configuration;
    private Path workingDirectory;
    private SmtpSink sink;
    private TestServer server;

    public RelayedServer() {
        this(UnaryOperator.identity());
    }

    /** @param configuration further changes to the shipped conf, applied before start */
    public RelayedServer(UnaryOperator<TestServer> configuration) {
        this.configuration = configuration;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        workingDirectory = Files.createTempDirectory("sendonly-test");
        sink = SmtpSink.start();
        server = configuration.apply(TestServer.prepare(workingDirectory).relayTo(sink.port())).start();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            server.close();
            sink.close();
        } finally {
            deleteRecursively(workingDirectory);
        }
    }

    public SmtpSink sink() {
        return sink;
    }

    public TestServer server() {
        return server;
    }

    public WebAdmin webAdmin() {
        return server.webAdmin();
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }
}
