package io.sendonly.webadmin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.james.server.core.configuration.Configuration;
import org.apache.james.server.core.configuration.FileConfigurationProvider;
import org.apache.james.server.core.filesystem.FileSystemImpl;

/**
 * A server's {@code conf/} that names no table file, so that the routes work on the documented defaults
 * ({@code conf/routes}, {@code conf/TrustedHosts}, {@code conf/dkim/...}), as {@link ConfiguredFiles} finds them.
 */
final class ServerConf {
    private final Path workingDirectory;

    ServerConf(Path workingDirectory) throws IOException {
        this.workingDirectory = workingDirectory;
        Files.createDirectories(conf());
        Files.writeString(conf().resolve("mailetcontainer.xml"), "<mailetcontainer><processors/></mailetcontainer>\n");
        Files.writeString(conf().resolve("smtpserver.xml"), "<smtpservers><smtpserver/></smtpservers>\n");
    }

    Path conf() {
        return workingDirectory.resolve("conf");
    }

    ConfiguredFiles files() throws Exception {
        return new ConfiguredFiles(configurationProvider(), fileSystem());
    }

    FileSystemImpl fileSystem() {
        return new FileSystemImpl(configuration().directories());
    }

    /** Reads {@code conf/NAME.xml} as James does at boot. */
    FileConfigurationProvider configurationProvider() {
        return new FileConfigurationProvider(fileSystem(), configuration());
    }

    private Configuration configuration() {
        return Configuration.builder().workingDirectory(workingDirectory.toFile()).build();
    }
}
