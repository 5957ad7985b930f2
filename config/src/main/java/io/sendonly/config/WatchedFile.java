package io.sendonly.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A value loaded from configuration files and loaded again when one of them changes ({@link FileVersion}: webadmin
 * renamed a new file over it, an operator edited it), so that a change applies without restart. The first load
 * happens at start, where a failure stops start-up; a change that does not load (bad content, a deleted file) keeps
 * the value in force, with an error line, until the files change again. Postfix's {@code dict_changed_name()}.
 */
public final class WatchedFile<T> implements Supplier<T> {
    /** Reads the files into a value; fails on anything it cannot use. */
    @FunctionalInterface
    public interface Loader<T, E extends Exception> {
        T load() throws E;
    }

    private record Loaded<T>(T value, List<Optional<FileVersion>> versions) {
    }

    private static final Logger LOGGER = LoggerFactory.getLogger(WatchedFile.class);

    private final String name;
    private final List<Path> files;
    private final Loader<T, ?> loader;
    private volatile Loaded<T> loaded;

    private WatchedFile(String name, List<Path> files, Loader<T, ?> loader, Loaded<T> loaded) {
        this.name = name;
        this.files = files;
        this.loader = loader;
        this.loaded = loaded;
    }

    /**
     * Loads the value now: a failure here is the caller's (start-up stops).
     *
     * @param name  what the value is, for the log lines, e.g. {@code "RouteDelivery routes"}
     * @param files every file the loader reads that may change
     */
    public static <T, E extends Exception> WatchedFile<T> load(String name, List<Path> files, Loader<T, E> loader) throws E {
        List<Path> watched = List.copyOf(files);
        List<Optional<FileVersion>> versions = versions(watched);
        return new WatchedFile<>(name, watched, loader, new Loaded<>(loader.load(), versions));
    }

    /** The value as the files say now: loaded again first when one of them changed since the last look. */
    @Override
    public T get() {
        Loaded<T> current = loaded;
        List<Optional<FileVersion>> versions = versions(files);
        if (!versions.equals(current.versions())) {
            reload(versions);
        }
        return loaded.value();
    }

    /** A file that cannot be read is a version too: it does not load, and the value in force stays. */
    private synchronized void reload(List<Optional<FileVersion>> versions) {
        if (versions.equals(loaded.versions())) {
            return;
        }
        try {
            loaded = new Loaded<>(loader.load(), versions);
            LOGGER.info("{}: {} changed, loaded again", name, files);
        } catch (Exception e) {
            loaded = new Loaded<>(loaded.value(), versions);
            LOGGER.error("{}: {} changed but does not load ({}); the value in force stays", name, files, e.getMessage());
        }
    }

    private static List<Optional<FileVersion>> versions(List<Path> files) {
        return files.stream().map(FileVersion::of).toList();
    }
}
