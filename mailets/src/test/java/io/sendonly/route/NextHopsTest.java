package io.sendonly.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.sendonly.route.NextHop.AuthMethod;
import io.sendonly.route.NextHop.Credentials;
import io.sendonly.tls.SecurityLevel;

class NextHopsTest {
    @Test
    void nullmailerSendGridLineShouldParse() {
        assertThat(NextHops.parseNullmailer("smtp.sendgrid.net smtp --port=587 --starttls --user=apikey --pass=SG.secret"))
            .isEqualTo(new NextHop("smtp.sendgrid.net", 587, false, SecurityLevel.VERIFY, false,
                Optional.empty(), Optional.of(new Credentials("apikey", "SG.secret", AuthMethod.PLAIN))));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "relay.example.com smtp| 25| NONE| false",
        "relay.example.com smtp --insecure| 25| NONE| false",
        "relay.example.com smtp --ssl| 465| VERIFY| true",
        "relay.example.com smtp --ssl --port=2465 --insecure| 2465| ENCRYPT| true",
        "relay.example.com smtp --starttls| 25| VERIFY| false",
        "relay.example.com smtp --starttls --insecure| 25| ENCRYPT| false",
        "relay.example.com smtp --starttls --auth-login --user=u --pass=p| 25| VERIFY| false",
        "relay.example.com smtp --port=587 --user=u --pass=p| 587| VERIFY| false",
        "relay.example.com smtp --ssl --user=u --pass=p| 465| VERIFY| true",
        "relay.example.com smtp --tls=secure| 25| SECURE| false",
        "relay.example.com smtp --tls=may --user=u --pass=p| 25| MAY| false",
        "relay.example.com smtp --ssl --tls=encrypt| 465| ENCRYPT| true",
    })
    void nullmailerOptionsShouldSetPortLevelAndWrapper(String line, int port, SecurityLevel level, boolean wrapper) {
        NextHop hop = NextHops.parseNullmailer(line);

        assertThat(hop.port()).isEqualTo(port);
        assertThat(hop.tls()).isEqualTo(level);
        assertThat(hop.wrapper()).isEqualTo(wrapper);
        assertThat(hop.mxLookup()).isFalse();
    }

    @Test
    void caFileOptionShouldNameTheTrustedAuthorities() {
        assertThat(NextHops.parseNullmailer("relay.example.com smtp --starttls --x509cafile=/etc/ssl/relay-ca.pem").caFile())
            .contains("/etc/ssl/relay-ca.pem");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "[smtp.mailgun.org]:587| smtp.mailgun.org| 587| false",
        "[192.0.2.10]| 192.0.2.10| 25| false",
        "example.com| example.com| 25| true",
        "example.com:2525| example.com| 2525| true",
    })
    void postfixNextHopShouldParse(String value, String host, int port, boolean mxLookup) {
        assertThat(NextHops.parsePostfix(value)).isEqualTo(new NextHop(host, port, mxLookup, SecurityLevel.MAY, false, Optional.empty(), Optional.empty()));
    }

    @Test
    void postfixNextHopShouldTakeALevelAndTrustAnchors() {
        assertThat(NextHops.parse("[relay.example]:587 --tls=verify --x509cafile=relay.pem")).isEqualTo(new NextHop("relay.example", 587,
            false, SecurityLevel.VERIFY, false, Optional.of("relay.pem"), Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "relay.example.com| is not 'host smtp [options]'",
        "relay.example.com qmqp| is not 'host smtp [options]'",
        "relay.example.com smtp --port=0| port must be 1 to 65535",
        "relay.example.com smtp --tls| --tls needs a value",
        "relay.example.com smtp --tls=strict| unknown TLS security level 'strict'",
        "relay.example.com smtp --tls=verify --starttls| give one or the other",
        "relay.example.com smtp --ssl --tls=none| --tls=none contradicts it",
        "relay.example.com smtp --color| unknown nullmailer option '--color'",
        "relay.example.com smtp --user=u| --user and --pass go together",
    })
    void badNullmailerLinesShouldSayWhy(String line, String problem) {
        assertThatThrownBy(() -> NextHops.parseNullmailer(line)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(problem);
    }

    @Test
    void passwordsShouldNeverBePrinted() {
        NextHop hop = NextHops.parseNullmailer("relay.example.com smtp --user=u --pass=hunter2");

        assertThat(hop.toString()).doesNotContain("hunter2").contains("user=u");
        assertThatThrownBy(() -> NextHops.parseNullmailer("relay.example.com pop --user=u --pass=hunter2"))
            .hasMessageNotContaining("hunter2");
    }
}
