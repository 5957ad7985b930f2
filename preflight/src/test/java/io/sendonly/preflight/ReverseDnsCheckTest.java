package io.sendonly.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ReverseDnsCheckTest {
    private static final SendingAddresses EGRESS = new SendingAddresses(List.of(FakeDns.address("203.0.113.5")),
        Optional.empty(), Optional.empty());

    private final FakeDns dns = new FakeDns();

    @Test
    void ptrShouldPassWhenTheNameResolvesBackAndHeloShouldPassWhenItIsThatName() {
        dns.ptr("203.0.113.5", "mail.example.com").a("mail.example.com", "203.0.113.5");

        ReverseDnsCheck.Result result = ReverseDnsCheck.ptr(EGRESS, "mail.example.com", dns);

        assertThat(result.ptr().status()).isEqualTo(Status.PASS);
        assertThat(ReverseDnsCheck.helo(EGRESS, "mail.example.com", result.confirmed(), dns).status()).isEqualTo(Status.PASS);
    }

    @Test
    void ptrShouldFailWithThePtrToAskForWhenThereIsNone() {
        Check check = ReverseDnsCheck.ptr(EGRESS, "mail.example.com", dns).ptr();

        assertThat(check.status()).isEqualTo(Status.FAIL);
        assertThat(check.detail()).contains("203.0.113.5 has no PTR record");
        assertThat(check.record()).contains("5.113.0.203.in-addr.arpa. PTR mail.example.com.");
    }

    @Test
    void ptrShouldSayThatAPrivateEgressAddressMustBeNamed() {
        SendingAddresses natted = new SendingAddresses(List.of(FakeDns.address("10.0.0.5")), Optional.empty(), Optional.empty());

        assertThat(ReverseDnsCheck.ptr(natted, "mail.example.com", dns).ptr().detail())
            .startsWith("10.0.0.5 (a private address: behind NAT, name the public one as egressAddress in conf/preflight.xml) has no PTR");
    }

    @Test
    void ptrShouldFailWhenTheNameDoesNotResolveBack() {
        dns.ptr("203.0.113.5", "host.hoster.example").a("host.hoster.example", "198.51.100.1");

        Check check = ReverseDnsCheck.ptr(EGRESS, "mail.example.com", dns).ptr();

        assertThat(check.status()).isEqualTo(Status.FAIL);
        assertThat(check.detail()).contains("not forward-confirmed");
        assertThat(check.record()).contains("host.hoster.example. A 203.0.113.5");
    }

    @Test
    void heloShouldWarnWhenItResolvesToTheAddressButIsNotThePtrName() {
        dns.ptr("203.0.113.5", "host.hoster.example").a("host.hoster.example", "203.0.113.5").a("mail.example.com", "203.0.113.5");
        List<String> confirmed = ReverseDnsCheck.ptr(EGRESS, "mail.example.com", dns).confirmed();

        Check check = ReverseDnsCheck.helo(EGRESS, "mail.example.com", confirmed, dns);

        assertThat(check.status()).isEqualTo(Status.WARN);
        assertThat(check.detail()).contains("set <helloName> of smtpserver.xml to host.hoster.example");
    }

    @Test
    void heloShouldFailWhenItDoesNotResolveToTheAddress() {
        Check check = ReverseDnsCheck.helo(EGRESS, "localhost", List.of(), dns);

        assertThat(check.status()).isEqualTo(Status.FAIL);
        assertThat(check.detail()).endsWith("set <helloName> of smtpserver.xml to the PTR name of the address");
    }

    @Test
    void heloShouldOnlyInformThroughASmartHost() {
        SendingAddresses relay = new SendingAddresses(List.of(FakeDns.address("192.0.2.7")), Optional.of("relay.example.net"),
            Optional.empty());

        assertThat(ReverseDnsCheck.helo(relay, "localhost", List.of(), dns).status()).isEqualTo(Status.INFO);
    }
}
