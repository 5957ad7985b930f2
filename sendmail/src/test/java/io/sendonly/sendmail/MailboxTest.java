package io.sendonly.sendmail;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MailboxTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"user@example.com", "first.last+tag@sub.example.co.uk", "o'brien@example.ie", "x@a",
        "\"john doe\"@example.com", "\"a\\\"b\"@example.com", "user@[192.0.2.1]", "user@[IPv6:2001:db8::1]",
        "!#$%&'*+/=?^_`{|}~@example.com", "a-b@xn--bcher-kva.example"})
    void validMailboxesShouldPass(String address) {
        assertThat(Mailbox.problem(address)).isEmpty();
    }

    @ParameterizedTest(name = "{index}: {0}")
    @ValueSource(strings = {"legit@example.com>\r\nRCPT TO:<injected@example.net", "a@example.com\n", "a\0@example.com",
        "a@example.com>", "<a@example.com>", "a b@example.com", "a@exa mple.com", "-oQ@example.com", "-f@example.com",
        "a@", "@example.com", "example.com", ".a@example.com", "a.@example.com", "a..b@example.com",
        "a@-example.com", "a@example-.com", "a@example..com", "a@[300.1.1.1]", "a@[IPv6:not::an:address:x]",
        "a@[IPv6:1.2.3.4]", "\"unterminated@example.com", "\"a\rb\"@example.com", "usér@example.com", "user@exämple.com",
        "user＠example.com", "user@example.com\u2028", "user\u202e@example.com", "a@b@example.com", "a(comment)@example.com"})
    void malformedAddressesShouldBeRefused(String address) {
        assertThat(Mailbox.problem(address)).isPresent();
    }

    @ParameterizedTest(name = "{0} octets")
    @ValueSource(ints = {65, 300})
    void overlongLocalPartOrAddressShouldBeRefused(int length) {
        assertThat(Mailbox.problem("a".repeat(length) + "@example.com")).isPresent();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {64})
    void localPartOf64OctetsShouldPass(int length) {
        assertThat(Mailbox.problem("a".repeat(length) + "@example.com")).isEmpty();
    }

    @ParameterizedTest(name = "label of {0}")
    @ValueSource(ints = {64})
    void overlongLabelShouldBeRefused(int length) {
        assertThat(Mailbox.problem("a@" + "b".repeat(length) + ".example.com")).isPresent();
    }
}
