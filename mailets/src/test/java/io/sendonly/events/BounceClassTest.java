package io.sendonly.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BounceClassTest {
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
        "5.1.1| 550 5.1.1 <a@example.net>: user unknown| HARD",
        "5.1.2| 550 5.1.2 bad destination system| HARD",
        "5.1.10| 556 5.1.10 null MX| HARD",
        "4.2.2| 452 4.2.2 mailbox full| SOFT",
        "5.2.2| 552 5.2.2 mailbox full| SOFT",
        "4.2.1| 450 4.2.1 try later| SOFT",
        "5.7.1| 554 5.7.1 relay access denied| POLICY",
        "5.7.26| 550 5.7.26 unauthenticated mail is prohibited| POLICY",
        "4.7.4| TLS is required, but was not offered| TLS",
        "4.7.5| handshake failed| TLS",
        "5.7.10| encryption needed| TLS",
        "4.4.2| connection refused by certificate check| TLS",
        "4.4.3| no answer from the DNS| DNS",
        "5.4.4| no MX or A record for example.invalid| DNS",
        "4.4.2| connection timed out| SOFT",
        "5.4.7| 450 4.2.1 try later| EXPIRED",
        "5.3.4| 552 5.3.4 message too big| OTHER",
        "5.6.0| 554 5.6.0 bad content| OTHER",
        "2.0.0| 250 2.0.0 ok| none",
        "garbage| 550 no code| none",
    })
    void classShouldFollowTheStatusThenTheReply(String status, String reply, BounceClass expected) {
        assertThat(BounceClass.of(status, reply)).isEqualTo(Optional.ofNullable(expected));
    }
}
