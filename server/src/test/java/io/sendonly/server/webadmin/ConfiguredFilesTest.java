package io.sendonly.server.webadmin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.james.server.core.configuration.Configuration;
import org.apache.james.server.core.configuration.FileConfigurationProvider;
import org.apache.james.server.core.filesystem.FileSystemImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sendonly.webadmin.ConfiguredFiles;

/** Where webadmin writes when the configuration does not name a table: the documented defaults. */
class ConfiguredFilesTest {
    @TempDir
    Path workingDirectory;

    @Test
    void unsetParametersShouldGiveTheDocumentedDefaults() throws Exception {
        Files.createDirectories(workingDirectory.resolve("conf"));
        Files.writeString(workingDirectory.resolve("conf/mailetcontainer.xml"), """
            <mailetcontainer><processors><processor state="transport">
                <mailet match="All" class="io.sendonly.deliver.RouteDelivery"><heloName>h</heloName></mailet>
            </processor></processors></mailetcontainer>
            """);
        Files.writeString(workingDirectory.resolve("conf/smtpserver.xml"), "<smtpservers><smtpserver/></smtpservers>");
        Configuration configuration = Configuration.builder().workingDirectory(workingDirectory.toFile()).build();
        FileSystemImpl fileSystem = new FileSystemImpl(configuration.directories());

        ConfiguredFiles files = new ConfiguredFiles(new FileConfigurationProvider(fileSystem, configuration), fileSystem);

        assertThat(absolute(files.routes())).isEqualTo(conf("routes"));
        assertThat(absolute(files.trustedHosts())).isEqualTo(conf("TrustedHosts"));
        assertThat(absolute(files.dkimTables().keyTable().file())).isEqualTo(conf("dkim/KeyTable"));
        assertThat(absolute(files.dkimTables().signingTable().file())).isEqualTo(conf("dkim/SigningTable"));
    }

    private Path conf(String name) {
        return absolute(workingDirectory.resolve("conf").resolve(name));
    }

    private static Path absolute(Path path) {
        return path.toAbsolutePath().normalize();
    }
}
