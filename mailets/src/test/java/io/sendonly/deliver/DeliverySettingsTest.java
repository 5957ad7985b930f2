package io.sendonly.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.sendonly.deliver.DeliverySettings.FirstAttempt;
import io.sendonly.tls.SecurityLevel;

class DeliverySettingsTest {
    private static FakeMailetConfig.Builder config() {
        return FakeMailetConfig.builder().mailetName("RouteDelivery");
    }

    private static DeliverySettings from(FakeMailetConfig config) {
        return DeliverySettings.from(config, SERVER_NAME);
    }

    private static final String SERVER_NAME = "mail.example.com";

    @Test
    void heloNameShouldBeTheServersNameUnlessSet() {
        assertThat(from(config().build()).heloName()).isEqualTo(SERVER_NAME);
        assertThat(from(config().setProperty(RouteDelivery.HELO_NAME, " out.example.com ").build()).heloName()).isEqualTo("out.example.com");
    }

    @Test
    void fromShouldGiveTheDocumentedDefaultsWhenNothingIsSet() {
        DeliverySettings settings = from(config().build());

        assertThat(settings).isEqualTo(new DeliverySettings(Optional.empty(), "outgoing", 8, "mail.example.com", 30_000, 300_000,
            new RetryPolicy(List.of(Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(20), Duration.ofMinutes(40),
                Duration.ofHours(1)), Duration.ofDays(5), Optional.of(Duration.ofHours(4))),
            "bounces", Duration.ofSeconds(2), FirstAttempt.SPOOL, Optional.empty(), SecurityLevel.DANE, true, Optional.empty(),
            Optional.empty()));
    }

    @Test
    void fromShouldReadEveryParameter() throws Exception {
        DeliverySettings settings = from(config()
            .setProperty(RouteDelivery.ROUTES, " file://conf/routes ")
            .setProperty(RouteDelivery.OUTGOING_QUEUE, "out")
            .setProperty(RouteDelivery.DELIVERY_THREADS, " 3 ")
            .setProperty(RouteDelivery.CONNECT_TIMEOUT, "5s")
            .setProperty(RouteDelivery.TIMEOUT, "1m")
            .setProperty(RouteDelivery.RETRY_SCHEDULE, "1m,, 2h ,")
            .setProperty(RouteDelivery.MAX_QUEUE_LIFETIME, "2d")
            .setProperty(RouteDelivery.DELAY_WARNING_TIME, "30m")
            .setProperty(RouteDelivery.BOUNCE_PROCESSOR, "reports")
            .setProperty(RouteDelivery.CONNECTION_CACHE_TIME, "0s")
            .setProperty(RouteDelivery.FIRST_ATTEMPT, "queue")
            .setProperty(RouteDelivery.TLS_POLICY, "file://conf/pins")
            .setProperty(RouteDelivery.TLS_SECURITY_LEVEL, "Encrypt")
            .setProperty(RouteDelivery.MTA_STS, "false")
            .setProperty(RouteDelivery.MTA_STS_CA_FILE, " conf/sts-ca.pem ")
            .setProperty(RouteDelivery.DNSSEC_RESOLVER, " [::1]:5353 ")
            .build());

        assertThat(settings).isEqualTo(new DeliverySettings(Optional.of("file://conf/routes"), "out", 3, "mail.example.com", 5_000, 60_000,
            new RetryPolicy(List.of(Duration.ofMinutes(1), Duration.ofHours(2)), Duration.ofDays(2), Optional.of(Duration.ofMinutes(30))),
            "reports", Duration.ZERO, FirstAttempt.QUEUE, Optional.of("file://conf/pins"), SecurityLevel.ENCRYPT, false,
            Optional.of(Path.of("conf/sts-ca.pem")), Optional.of(new InetSocketAddress(InetAddress.getByName("::1"), 5353))));
    }

    @Test
    void fromShouldSendNoWarningWhenDelayWarningTimeIsEmpty() {
        DeliverySettings settings = from(config().setProperty(RouteDelivery.DELAY_WARNING_TIME, " ").build());

        assertThat(settings.retry().delayWarning()).isEmpty();
    }

    @Test
    void fromShouldRouteEverythingDirectWhenRoutesIsEmpty() {
        DeliverySettings settings = from(config().setProperty(RouteDelivery.ROUTES, "").build());

        assertThat(settings.routes()).isEmpty();
    }

    @Test
    void fromShouldCapATimeoutBeyondIntegerMillis() {
        DeliverySettings settings = from(config().setProperty(RouteDelivery.TIMEOUT, "9999w").build());

        assertThat(settings.timeoutMillis()).isEqualTo(Integer.MAX_VALUE);
    }

    @ParameterizedTest(name = "{0} = ''{1}''")
    @CsvSource(delimiter = '|', value = {
        "deliveryThreads      | 0      | <deliveryThreads> '0': expected a positive number",
        "deliveryThreads      | many   | <deliveryThreads> 'many': expected a positive number",
        "connectTimeout       | 30     | <connectTimeout> '30': expected a number and ms, s, m, h, d or w",
        "timeout              | 5 min  | <timeout> '5 min': expected a number and ms, s, m, h, d or w",
        "retrySchedule        | ' , '  | <retrySchedule> needs at least one delay",
        "retrySchedule        | 5m, x  | <retrySchedule> 'x': expected a number",
        "maxQueueLifetime     | -1d    | <maxQueueLifetime> '-1d': expected a number",
        "maxQueueLifetime     | ''     | <maxQueueLifetime> '': expected a number",
        "delayWarningTime     | soon   | <delayWarningTime> 'soon': expected a number",
        "connectionCacheTime  | 2      | <connectionCacheTime> '2': expected a number",
        "firstAttempt         | later  | <firstAttempt> 'later': expected spool or queue",
        "dnssecResolver       | resolver.example | <dnssecResolver> 'resolver.example': expected the validating resolver's IP address",
        "tlsSecurityLevel     | strict | <tlsSecurityLevel> unknown TLS security level 'strict' (none, may, encrypt, dane, verify or secure)",
        "mtaSts               | yes    | <mtaSts> 'yes': expected true or false"})
    void fromShouldRefuseAnInvalidValueNamingTheParameter(String parameter, String value, String message) {
        FakeMailetConfig config = config().setProperty(parameter, value).build();

        assertThatThrownBy(() -> from(config)).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
    }
}
