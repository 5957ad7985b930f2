package io.sendonly.server.webadmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;

import org.apache.commons.configuration2.BaseConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebAdminAccessTest {
    @Test
    void unsetPropertiesShouldGiveTokenAuthenticationAndNoOriginOrHost() {
        assertThat(WebAdminAccess.from(new BaseConfiguration())).isEqualTo(new WebAdminAccess(true, Set.of(), Set.of()));
    }

    @Test
    void authenticationNoneShouldTurnTheTokenOff() {
        assertThat(WebAdminAccess.from(properties(WebAdminAccess.AUTHENTICATION, " none ")).authenticated()).isFalse();
    }

    @Test
    void listsShouldBeSplitTrimmedAndLowerCased() {
        BaseConfiguration properties = properties(WebAdminAccess.CORS_ORIGINS, "https://Admin.example.com, http://localhost:3000,");
        properties.addProperty(WebAdminAccess.ALLOWED_HOSTS, "Mail.Example.com");

        WebAdminAccess access = WebAdminAccess.from(properties);

        assertThat(access.corsOrigins()).containsExactly("https://admin.example.com", "http://localhost:3000");
        assertThat(access.allowedHosts()).containsExactly("mail.example.com");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "authentication| maybe| webadmin.properties: authentication=maybe: expected token or none",
        "jwt.enabled| true| webadmin.properties: jwt.enabled=true is not supported",
        "cors.enable| true| webadmin.properties: cors.enable=true is not supported",
        "cors.origins| *| webadmin.properties: cors.origins: '*': expected a comma-separated list of names, no wildcard",
        "allowed.hosts| a b| webadmin.properties: allowed.hosts: 'a b': expected a comma-separated list",
    })
    void unsupportedValuesShouldBeRefusedNamingTheProperty(String key, String value, String message) {
        assertThatThrownBy(() -> WebAdminAccess.from(properties(key, value)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith(message);
    }

    private static BaseConfiguration properties(String key, String value) {
        BaseConfiguration properties = new BaseConfiguration();
        properties.addProperty(key, value);
        return properties;
    }
}
