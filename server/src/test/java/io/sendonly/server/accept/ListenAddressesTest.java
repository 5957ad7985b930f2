package io.sendonly.server.accept;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ListenAddressesTest {
    @Test
    void parseShouldReadIpv4AndBracketedIpv6() {
        assertThat(ListenAddresses.parse("127.0.0.1:25, [::1]:587"))
            .extracting(InetSocketAddress::getHostString, InetSocketAddress::getPort)
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple("127.0.0.1", 25),
                org.assertj.core.groups.Tuple.tuple("0:0:0:0:0:0:0:1", 587));
    }

    @Test
    void parseShouldResolveHostNames() {
        assertThat(ListenAddresses.parse("localhost:2525")).singleElement()
            .satisfies(address -> assertThat(address.getAddress().isLoopbackAddress()).isTrue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"::1:25", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "[::g]:25", "127.0.0.1:x", ""})
    void parseShouldRefuseMalformedEntriesNamingThem(String bind) {
        assertThatThrownBy(() -> ListenAddresses.parse(bind))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("bind: ");
    }
}
