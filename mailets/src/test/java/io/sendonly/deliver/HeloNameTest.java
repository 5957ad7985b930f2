package io.sendonly.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;

import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.junit.jupiter.api.Test;

class HeloNameTest {
    @Test
    void nameShouldBeTheConfiguredHelloName() throws Exception {
        assertThat(HeloName.of(server("false", " mail.example.com "))).isEqualTo("mail.example.com");
    }

    @Test
    void autodetectShouldGiveTheLocalHostNameAsJamesDoes() throws Exception {
        String local = InetAddress.getLocalHost().getHostName();

        assertThat(HeloName.of(server("true", "ignored.example.com"))).isEqualTo(local);
        assertThat(HeloName.of(new BaseHierarchicalConfiguration())).isEqualTo(local);
    }

    @Test
    void emptyNameWithoutAutodetectShouldStopStartUp() {
        assertThatThrownBy(() -> HeloName.of(server("false", " ")))
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("helloName");
    }

    /** As {@code <helloName autodetect="AUTODETECT">NAME</helloName>} of smtpserver.xml. */
    private static BaseHierarchicalConfiguration server(String autodetect, String name) {
        BaseHierarchicalConfiguration configuration = new BaseHierarchicalConfiguration();
        configuration.addProperty("helloName", name);
        configuration.addProperty("helloName[@autodetect]", autodetect);
        return configuration;
    }
}
