package io.sendonly.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Optional;

/**
 * What a configuration file looked like when it was read: a different version means it was changed (webadmin
 * renames a new file over it, an operator edits it), so that a component reads it again without restart.
 */
public record FileVersion(Object fileKey, FileTime modified, long size) {
    /** Empty when the file cannot be read, which is itself a version. */
    public static Optional<FileVersion> of(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return Optional.of(new FileVersion(attributes.fileKey(), attributes.lastModifiedTime(), attributes.size()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
