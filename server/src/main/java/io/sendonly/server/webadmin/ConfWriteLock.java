package io.sendonly.server.webadmin;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.james.webadmin.routes.UserRoutes;
import org.apache.james.webadmin.utils.ErrorResponder;
import org.eclipse.jetty.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sendonly.webadmin.DkimRoutes;
import io.sendonly.webadmin.RouteTableRoutes;
import io.sendonly.webadmin.SettingsRoutes;
import io.sendonly.webadmin.TlsPolicyRoutes;
import io.sendonly.webadmin.TrustedNetworksRoutes;
import spark.Request;
import spark.Response;

/**
 * One configuration change at a time across every node that shares {@code conf/} (docs/scale-out.md): a request that
 * may change a file there (not GET, HEAD or OPTIONS, on a route of {@link #CONFIGURATION_ROUTES}) holds an exclusive
 * lock on {@code conf/.webadmin.lock} from before its route reads a table until after it has renamed the new one in
 * place, so two edits made at once on two nodes both land instead of the last rename winning. The lock is a POSIX
 * record lock, which NFSv4 and cluster filesystems carry between machines. Reads take none: a rename replaces a file
 * whole. Queue, suppression and report requests take none either: they do not touch conf/, and a long flush must not
 * hold every node's edits. A lock not obtained within {@link #WAIT} is answered 503; a conf/ that cannot be written
 * (read-only on purpose) has no lock file, and then only this node's requests are serialised.
 */
public final class ConfWriteLock {
    /** Relative to the server's working directory: the shared folder. */
    public static final String FILE = "conf/.webadmin.lock";
    static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration RETRY = Duration.ofMillis(20);
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    /** The routes that write files of conf/: the tables, keys, settings and SMTP users. */
    public static final List<String> CONFIGURATION_ROUTES = List.of(DkimRoutes.BASE_PATH, RouteTableRoutes.BASE_PATH,
        TlsPolicyRoutes.BASE_PATH, TrustedNetworksRoutes.BASE_PATH, SettingsRoutes.BASE_PATH, UserRoutes.USERS);
    private static final String HELD = ConfWriteLock.class.getName();
    private static final Logger LOGGER = LoggerFactory.getLogger(ConfWriteLock.class);

    private final Path file;
    private final List<String> routes;
    // A FileLock belongs to the process: this node's own requests queue here before competing with other nodes.
    private final ReentrantLock local = new ReentrantLock();

    /** @param routes the base paths whose writes take the lock */
    public ConfWriteLock(Path file, List<String> routes) {
        this.file = file;
        this.routes = List.copyOf(routes);
    }

    /** A Spark before-filter: takes the lock for a request that may write. */
    public void acquire(Request request, Response response) throws IOException, InterruptedException {
        String path = request.pathInfo();
        if (READS.contains(request.requestMethod().toUpperCase(Locale.ROOT))
            || routes.stream().noneMatch(base -> path.equals(base) || path.startsWith(base + "/"))) {
            return;
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        if (!local.tryLock(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw busy();
        }
        Optional<FileChannel> channel = Optional.empty();
        try {
            channel = open();
            if (channel.isPresent()) {
                lockWithin(channel.get(), deadline);
            }
            request.attribute(HELD, channel);
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (channel.isPresent()) {
                channel.get().close();
            }
            local.unlock();
            throw e;
        }
    }

    /** A Spark after-after filter (run whatever the route answered or threw): releases what {@link #acquire} took. */
    public void release(Request request, Response response) throws IOException {
        Optional<FileChannel> channel = request.attribute(HELD);
        if (channel == null) {
            return;
        }
        request.attribute(HELD, null);
        try {
            if (channel.isPresent()) {
                channel.get().close();
            }
        } finally {
            local.unlock();
        }
    }

    private static void lockWithin(FileChannel channel, long deadline) throws IOException, InterruptedException {
        FileLock lock = channel.tryLock();
        while (lock == null && System.nanoTime() < deadline) {
            Thread.sleep(RETRY.toMillis());
            lock = channel.tryLock();
        }
        if (lock == null) {
            throw busy();
        }
    }

    /** Empty when conf/ cannot be written (read-only on purpose): then no change to it can be made anyway. */
    private Optional<FileChannel> open() {
        try {
            if (!Files.exists(file)) {
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (FileAlreadyExistsException e) {
                    // another node made it first: the same file
                }
            }
            return Optional.of(FileChannel.open(file, StandardOpenOption.WRITE));
        } catch (IOException e) {
            LOGGER.debug("{} cannot be opened for writing ({}): changes are serialised on this node only", file, e.toString());
            return Optional.empty();
        }
    }

    private static RuntimeException busy() {
        return ErrorResponder.builder()
            .statusCode(HttpStatus.SERVICE_UNAVAILABLE_503)
            .type(ErrorResponder.ErrorType.SERVER_ERROR)
            .message("another change holds the configuration lock; try again")
            .haltError();
    }
}
