package io.sendonly.webadmin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.james.core.MailAddress;
import org.apache.james.domainlist.memory.MemoryDomainList;
import org.apache.mailet.base.test.FakeMailContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The settings route over James's memory domain list, configured from {@code conf/domainlist.xml} as at boot, and a
 * mailet context James did not make reconfigurable (FakeMailContext), which shows what happens to such a component.
 */
class SettingsRoutesTest {
    private static final String DOMAIN_LIST = """
        <?xml version="1.0"?>
        <!-- the default domain qualifies bare addresses -->
        <domainlist class="org.apache.james.domainlist.memory.MemoryDomainList">
            <defaultDomain>old.example</defaultDomain>
            <autodetect>false</autodetect>
            <autodetectIP>false</autodetectIP>
        </domainlist>
        """;
    private static final String MAILET_CONTAINER = """
        <?xml version="1.0"?>
        <mailetcontainer>
            <context>
                <postmaster>ops@old.example</postmaster>
            </context>
        </mailetcontainer>
        """;

    @TempDir
    Path workingDirectory;

    private Path conf;
    private MemoryDomainList domainList;
    private RoutesServer server;

    @BeforeEach
    void setUp() throws Exception {
        ServerConf serverConf = new ServerConf(workingDirectory);
        conf = serverConf.conf();
        Files.writeString(conf.resolve("domainlist.xml"), DOMAIN_LIST);
        Files.writeString(conf.resolve("mailetcontainer.xml"), MAILET_CONTAINER);
        domainList = new MemoryDomainList(new TxtRecords());
        domainList.configure(serverConf.configurationProvider().getConfiguration("domainlist"));
        FakeMailContext mailetContext = FakeMailContext.builder().postmaster(new MailAddress("ops@old.example")).build();
        server = RoutesServer.start(new SettingsRoutes(serverConf.fileSystem(), serverConf.configurationProvider(), domainList,
            mailetContext));
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void getShouldAnswerTheSettingsInForce() throws Exception {
        assertThat(server.get(SettingsRoutes.BASE_PATH).body())
            .isEqualTo("{\"defaultDomain\":\"old.example\",\"adminAddress\":\"ops@old.example\"}");
    }

    @Test
    void putDefaultDomainShouldRewriteDomainListXmlAndApplyIt() throws Exception {
        HttpResponse<String> response = server.put(SettingsRoutes.BASE_PATH, "{\"defaultDomain\":\"Example.COM\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"defaultDomain\":\"example.com\"");
        assertThat(domainList.getDefaultDomain().asString()).isEqualTo("example.com");
        assertThat(Files.readString(conf.resolve("domainlist.xml")))
            .isEqualTo(DOMAIN_LIST.replace("<defaultDomain>old.example<", "<defaultDomain>example.com<"));
    }

    @Test
    void putAdminAddressOnAContextJamesCannotReconfigureShouldSaveItAndSayARestartApplies() throws Exception {
        HttpResponse<String> response = server.put(SettingsRoutes.BASE_PATH, "{\"adminAddress\":\"admin@old.example\"}");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("mailetcontainer.context was saved but cannot be applied", "without a restart");
        assertThat(Files.readString(conf.resolve("mailetcontainer.xml"))).contains("<postmaster>admin@old.example</postmaster>");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{}| defaultDomain: expected defaultDomain, adminAddress or both",
        "{\"defaultDomain\":\"localhost\"}| defaultDomain: 'localhost': expected a domain name, e.g. example.com",
        "{\"defaultDomain\":\"example.com\\nx\"}| defaultDomain: the control or invisible character U+000A is not allowed",
        "{\"defaultDomain\":7}| defaultDomain: expected a string",
        "{\"adminAddress\":\"ops\"}| adminAddress: 'ops': expected a mail address, e.g. ops@example.com",
        "{\"adminAddress\":\"ops@-bad-.example\"}| adminAddress: 'ops@-bad-.example': expected a mail address",
        "{\"adminAddress\":\"root@old.example\"}| adminAddress: 'root@old.example' is a system account of this host",
        "{\"defaultDomain\":\"new.example\",\"adminAddress\":\"postmaster@new.example\"}| adminAddress: 'postmaster@new.example' is a system account",
    })
    void putShouldAnswer400NamingTheFieldAndChangeNothing(String body, String message) throws Exception {
        HttpResponse<String> response = server.put(SettingsRoutes.BASE_PATH, body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains(message);
        assertThat(Files.readString(conf.resolve("domainlist.xml"))).isEqualTo(DOMAIN_LIST);
        assertThat(Files.readString(conf.resolve("mailetcontainer.xml"))).isEqualTo(MAILET_CONTAINER);
        assertThat(domainList.getDefaultDomain().asString()).isEqualTo("old.example");
    }
}
