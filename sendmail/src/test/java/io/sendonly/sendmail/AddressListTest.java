package io.sendonly.sendmail;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressListTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "user@example.net| user@example.net",
        "User Name <user@example.net>| user@example.net",
        "\"Doe, John\" <john@example.net>, jane@example.net| john@example.net,jane@example.net",
        "undisclosed-recipients:;| ''",
        "team: a@example.net, B <b@example.net>;, c@example.net| a@example.net,b@example.net,c@example.net",
        "a@example.net (Alice, in comments), (note) b@example.net| a@example.net,b@example.net",
        "root| root",
    })
    void parseShouldExtractAddrSpecs(String header, String expected) {
        assertThat(String.join(",", AddressList.parse(header))).isEqualTo(expected);
    }

    @Test
    void foldedHeaderShouldBeUnfolded() {
        assertThat(AddressList.parse("first@example.net,\r\n second@example.net")).containsExactly("first@example.net", "second@example.net");
    }
}
