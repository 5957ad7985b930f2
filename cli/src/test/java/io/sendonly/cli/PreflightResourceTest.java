package io.sendonly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class PreflightResourceTest {
    @Test
    void textShouldListEachCheckWithTheRecordToPublishUnderItThenTheChecklist() throws Exception {
        String json = """
            {"failed": true,
             "domains": [{"domain": "example.com", "status": "fail", "checks": [
               {"name": "spf", "status": "fail", "detail": "example.com publishes no SPF record",
                "record": "example.com. TXT \\"v=spf1 ip4:203.0.113.5 -all\\""},
               {"name": "dkim", "status": "pass", "detail": "published", "record": null}]}],
             "checklist": [{"rule": "SPF or DKIM passes", "appliesTo": "all senders", "status": "pass",
               "detail": "met by every sending domain"}]}
            """;

        assertThat(PreflightResource.text(new ObjectMapper().readTree(json))).isEqualTo("""
            example.com: fail
              FAIL  spf        example.com publishes no SPF record
                              publish: example.com. TXT "v=spf1 ip4:203.0.113.5 -all"
              PASS  dkim       published

            Gmail/Yahoo sender rules:
              PASS  all senders   SPF or DKIM passes: met by every sending domain
            """);
    }
}
