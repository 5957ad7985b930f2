package io.sendonly.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrustedNetworksTest {
    private static final TrustedNetworks SEED = TrustedNetworks.parse(List.of(
        "# the seed's TrustedHosts, plus an app network",
        "127.0.0.1",
        "::1",
        "localhost   # resolved at load",
        "192.168.10.0/24",
        "!192.168.10.66",
        "2001:db8::/32",
        ""), "TrustedHosts");

    @ParameterizedTest(name = "{0} trusted: {1}")
    @CsvSource({
        "127.0.0.1, true",
        "::1, true",
        "[::1], true",
        "192.168.10.1, true",
        "192.168.10.255, true",
        "192.168.10.66, false",
        "192.168.11.1, false",
        "2001:db8:1::25, true",
        "2001:db9::25, false",
        "127.0.0.9, false",
        "10.0.0.1, false",
        "not-an-address, false",
    })
    void isTrustedShouldFollowTheTable(String client, boolean trusted) {
        assertThat(SEED.isTrusted(client)).isEqualTo(trusted);
    }

    @Test
    void loopbackDefaultShouldTrustAllOf127Slash8AndIpv6Loopback() {
        assertThat(TrustedNetworks.LOOPBACK.isTrusted("127.0.0.9")).isTrue();
        assertThat(TrustedNetworks.LOOPBACK.isTrusted("::1")).isTrue();
        assertThat(TrustedNetworks.LOOPBACK.isTrusted("10.0.0.1")).isFalse();
    }

    @Test
    void prefixLengthShouldMaskPartialBytes() {
        TrustedNetworks networks = TrustedNetworks.parse(List.of("172.16.0.0/12"), "t");

        assertThat(networks.isTrusted("172.31.255.255")).isTrue();
        assertThat(networks.isTrusted("172.32.0.0")).isFalse();
    }

    @Test
    void ipv4BlockShouldNotMatchIpv6Clients() {
        assertThat(TrustedNetworks.parse(List.of("0.0.0.0/0"), "t").isTrusted("::1")).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "10.0.0.0/33| invalid prefix length",
        "::/129| invalid prefix length",
        "10.0.0.0/x| invalid prefix length",
        "300.1.1.1/8| is not an IP address",
        "bad_host!| neither an IP address",
        "no-such-host.invalid| cannot resolve host name",
    })
    void parseShouldNameSourceAndLineOfABadEntry(String entry, String problem) {
        assertThatThrownBy(() -> TrustedNetworks.parse(List.of("# comment", "127.0.0.1", entry), "conf/TrustedHosts"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("conf/TrustedHosts:3: ")
            .hasMessageContaining(problem);
    }
}
