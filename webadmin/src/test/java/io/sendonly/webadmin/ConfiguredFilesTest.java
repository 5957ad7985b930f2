package io.sendonly.webadmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sendonly.config.TableEditor;
import io.sendonly.dkim.DkimTablesEditor.Signing;

/** The files named by the components' parameters, in the form they name them. */
class ConfiguredFilesTest {
    @TempDir
    Path workingDirectory;

    private ServerConf conf;

    @BeforeEach
    void setUp() throws Exception {
        conf = new ServerConf(workingDirectory);
        Files.writeString(conf.conf().resolve("KeyTable"), "k example.com:s:k.private\n");
    }

    @Test
    void unsetParametersShouldGiveTheDocumentedDefaults() throws Exception {
        ConfiguredFiles files = conf.files();

        assertThat(files.routes()).isEqualTo(conf.conf().resolve("routes"));
        assertThat(files.trustedHosts()).isEqualTo(conf.conf().resolve("TrustedHosts"));
        assertThat(files.dkimTables().keyTable().file()).isEqualTo(conf.conf().resolve("dkim/KeyTable"));
        assertThat(files.dkimTables().signingTable().file()).isEqualTo(conf.conf().resolve("dkim/SigningTable"));
    }

    @Test
    void parametersShouldNameTheFilesTheRoutesEdit() throws Exception {
        mailets("file://conf/SigningTable");
        Files.writeString(conf.conf().resolve("smtpserver.xml"), """
            <smtpservers><smtpserver><handlerchain>
                <handler class="io.sendonly.accept.RelayOnlyForTrustedClients"><trustedHosts>file://conf/relay</trustedHosts></handler>
            </handlerchain></smtpserver></smtpservers>
            """);

        ConfiguredFiles files = conf.files();

        assertThat(files.routes()).isEqualTo(conf.conf().resolve("myroutes"));
        assertThat(files.trustedHosts()).isEqualTo(conf.conf().resolve("relay"));
        assertThat(files.dkimTables().keyTable().file()).isEqualTo(conf.conf().resolve("KeyTable"));
        assertThat(files.dkimTables().signingTable().file()).isEqualTo(conf.conf().resolve("SigningTable"));
    }

    @Test
    void aPlainSigningTableShouldRefuseWildcardsAsSignDkimWould() throws Exception {
        mailets("file://conf/SigningTable");
        TableEditor<Signing> signingTable = conf.files().dkimTables().signingTable();

        assertThatThrownBy(() -> signingTable.write(signingTable.table().add(new Signing("*@example.com", "k"))))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageEndingWith("SigningTable:1: '*@example.com' has a wildcard: use the refile: form");
    }

    @Test
    void aRefileSigningTableShouldTakeWildcards() throws Exception {
        mailets("refile:file://conf/SigningTable");
        TableEditor<Signing> signingTable = conf.files().dkimTables().signingTable();

        signingTable.write(signingTable.table().add(new Signing("*@example.com", "k")));

        assertThat(Files.readString(conf.conf().resolve("SigningTable"))).isEqualTo("*@example.com k\n");
    }

    private void mailets(String signingTable) throws Exception {
        Files.writeString(conf.conf().resolve("mailetcontainer.xml"), """
            <mailetcontainer><processors><processor state="transport">
                <mailet match="All" class="io.sendonly.sign.SignDkim">
                    <keyTable>file://conf/KeyTable</keyTable>
                    <signingTable>%s</signingTable>
                </mailet>
                <mailet match="All" class="io.sendonly.deliver.RouteDelivery"><routes> file://conf/myroutes </routes></mailet>
            </processor></processors></mailetcontainer>
            """.formatted(signingTable));
    }
}
