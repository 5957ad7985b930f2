package io.sendonly.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.apache.james.core.MailAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.sendonly.deliver.RecipientResult.Outcome;

class RetryPolicyTest {
    private static final Duration LIFETIME = Duration.ofDays(5);
    private static final RetryPolicy POLICY = new RetryPolicy(List.of(Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofHours(1)),
        LIFETIME, Optional.of(Duration.ofHours(4)));

    @ParameterizedTest(name = "retry {0}: {1}")
    @CsvSource({"1, PT5M", "2, PT10M", "3, PT1H", "4, PT1H", "100, PT1H"})
    void delayBeforeRetryShouldFollowTheScheduleAndRepeatItsLastDelay(int retry, Duration expected) {
        assertThat(POLICY.delayBeforeRetry(retry)).isEqualTo(expected);
    }

    @Test
    void settleShouldKeepADeferralWithinTheQueueLifetime() throws Exception {
        RecipientResult deferred = deferred();

        assertThat(POLICY.settle(deferred, LIFETIME.minusSeconds(1))).isEqualTo(deferred);
    }

    @Test
    void settleShouldFailADeferralOnceTheQueueLifetimeIsOverKeepingItsDiagnostic() throws Exception {
        RecipientResult settled = POLICY.settle(deferred(), LIFETIME);

        assertThat(settled).isEqualTo(new RecipientResult(new MailAddress("to@example.net"), Outcome.FAILED, "5.4.7", "mx.example.net",
            "smtp; 451 4.3.0 busy"));
    }

    @Test
    void settleShouldLeaveDeliveredAndFailedResultsAsTheyAreAfterTheQueueLifetime() throws Exception {
        MailAddress recipient = new MailAddress("to@example.net");
        RecipientResult delivered = new RecipientResult(recipient, Outcome.DELIVERED, "2.0.0", "mx", "smtp; 250 ok");
        RecipientResult failed = new RecipientResult(recipient, Outcome.FAILED, "5.1.1", "mx", "smtp; 550 5.1.1 no");

        assertThat(POLICY.settle(delivered, LIFETIME.multipliedBy(2))).isEqualTo(delivered);
        assertThat(POLICY.settle(failed, LIFETIME.multipliedBy(2))).isEqualTo(failed);
    }

    @ParameterizedTest(name = "queued {0}, warned before {1}: {2}")
    @CsvSource({"PT3H59M, false, false", "PT4H, false, true", "P2D, false, true", "P2D, true, false"})
    void warnsShouldTellTheSenderOnceAfterTheDelayWarningTime(Duration queued, boolean warnedBefore, boolean expected) {
        assertThat(POLICY.warns(queued, warnedBefore)).isEqualTo(expected);
    }

    @Test
    void warnsShouldNeverTellWithoutADelayWarningTime() {
        RetryPolicy silent = new RetryPolicy(List.of(Duration.ofMinutes(5)), LIFETIME, Optional.empty());

        assertThat(silent.warns(LIFETIME, false)).isFalse();
    }

    @Test
    void aPolicyWithoutAnyDelayShouldBeRefused() {
        assertThatThrownBy(() -> new RetryPolicy(List.of(), LIFETIME, Optional.empty())).isInstanceOf(IllegalArgumentException.class);
    }

    private static RecipientResult deferred() throws Exception {
        return new RecipientResult(new MailAddress("to@example.net"), Outcome.DEFERRED, "4.3.0", "mx.example.net", "smtp; 451 4.3.0 busy");
    }
}
