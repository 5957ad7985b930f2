package io.sendonly.sign;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FromHeaderTest {
    private static FromHeader read(String headers) throws Exception {
        byte[] bytes = (headers.replace("|", "\r\n") + "\r\nSubject: x\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
        return FromHeader.of(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "From: App <app@example.com>; app@example.com; ''",
        "To: user@example.net; ''; no From header",
        "From: a@example.com|From: b@example.org; ''; 2 From headers make the signing identity ambiguous",
        "From: a@example.com, b@example.org; ''; From 'a@example.com, b@example.org' is not one address with a domain",
        "From: www-data; ''; From 'www-data' is not one address with a domain",
    })
    void signingIdentityShouldBeTheOneAddressOrSayWhyNot(String headers, String address, String absence) throws Exception {
        FromHeader.Identity identity = read(headers).signingIdentity();

        assertThat(identity.address().orElse("")).isEqualTo(address);
        assertThat(identity.absence()).isEqualTo(absence);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "From: a@example.com, b@example.org; a@example.com,b@example.org",
        "From: a@example.com|From: b@example.org; a@example.com,b@example.org",
        "From: www-data; www-data@default.test",
    })
    void qualifiedAddressesShouldListEveryFromAddressWithADomain(String headers, String addresses) throws Exception {
        assertThat(String.join(",", read(headers).qualified("default.test").addresses())).isEqualTo(addresses);
    }
}
