package io.sendonly.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpfCheckTest {
    private static final SendingAddresses EGRESS = new SendingAddresses(List.of(FakeDns.address("203.0.113.5")),
        Optional.empty(), Optional.empty());

    private final FakeDns dns = new FakeDns();

    private Check check(String result) {
        return SpfCheck.check("example.com", EGRESS, "mail.example.com", (address, domain, helo) -> result, dns);
    }

    @Test
    void checkShouldPassWhenTheRecordAuthorisesTheEgressAddress() {
        Check check = check("pass");

        assertThat(check.status()).isEqualTo(Status.PASS);
        assertThat(check.detail()).contains("authorises 203.0.113.5");
        assertThat(check.record()).isEmpty();
    }

    @Test
    void checkShouldFailWithANewRecordWhenNoneIsPublished() {
        Check check = check("none");

        assertThat(check.status()).isEqualTo(Status.FAIL);
        assertThat(check.record()).contains("example.com. TXT \"v=spf1 ip4:203.0.113.5 -all\"");
    }

    @Test
    void checkShouldFailWithTheAddressAddedBeforeAllWhenTheRecordDoesNotCoverUs() {
        dns.txt("example.com", "google-site-verification=x").txt("example.com", "v=spf1 include:_spf.example.net -all");

        Check check = check("fail");

        assertThat(check.status()).isEqualTo(Status.FAIL);
        assertThat(check.detail()).contains("does not authorise 203.0.113.5 (fail)");
        assertThat(check.record()).contains("example.com. TXT \"v=spf1 include:_spf.example.net ip4:203.0.113.5 -all\"");
    }

    @ParameterizedTest
    @CsvSource({"softfail, WARN", "neutral, FAIL", "permerror, FAIL", "temperror, WARN"})
    void checkShouldGradeEveryOtherResult(String result, Status status) {
        assertThat(check(result).status()).isEqualTo(status);
    }

    @Test
    void checkShouldNameTheProviderIncludeForASmartHost() {
        SendingAddresses relay = new SendingAddresses(List.of(FakeDns.address("192.0.2.7")), Optional.of("relay.example.net"),
            Optional.empty());

        Check check = SpfCheck.check("example.com", relay, "mail.example.com", (address, domain, helo) -> "none", dns);

        assertThat(check.detail()).contains("smart host relay.example.net (192.0.2.7)", "your provider's include:");
        assertThat(check.record()).contains("example.com. TXT \"v=spf1 ip4:192.0.2.7 -all\"");
    }

    @Test
    void checkShouldWarnWhenTheEgressAddressIsUnknown() {
        SendingAddresses unknown = new SendingAddresses(List.of(), Optional.empty(), Optional.of("no route"));

        Check check = SpfCheck.check("example.com", unknown, "mail.example.com", (address, domain, helo) -> "pass", dns);

        assertThat(check.status()).isEqualTo(Status.WARN);
        assertThat(check.detail()).isEqualTo("not evaluated: no route");
    }

    @Test
    void suggestionShouldKeepTheQualifierOfAll() {
        assertThat(SpfCheck.suggestion(Optional.of("v=spf1 mx ~all"), List.of(FakeDns.address("2001:db8::1"))))
            .isEqualTo("v=spf1 mx ip6:2001:db8:0:0:0:0:0:1 ~all");
    }
}
