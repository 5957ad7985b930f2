package io.sendonly.testing;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

import org.apache.james.filesystem.api.FileSystem;

/** Resolves every {@code file://conf/NAME} to NAME inside one directory. */
public final class DirectoryFileSystem implements FileSystem {
    private final Path directory;

    public DirectoryFileSystem(Path directory) {
        this.directory = directory;
    }

    @Override
    public InputStream getResource(String url) throws IOException {
        return new FileInputStream(getFile(url));
    }

    @Override
    public File getFile(String fileURL) {
        return directory.resolve(fileURL.substring(fileURL.lastIndexOf('/') + 1)).toFile();
    }

    @Override
    public File getBasedir() {
        return directory.toFile();
    }
}
