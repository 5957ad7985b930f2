package io.sendonly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class QueueFormatTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @Test
    void mailqShouldListLikePostfix() throws Exception {
        JsonNode mails = json("""
            [{"id":"Mail1764490000000-a1","size":2457,"arrival":"2026-11-03T07:42:13Z","sender":"app@example.com",
              "recipients":["user@example.net","other@example.net"],
              "reason":"connect to [127.0.0.1]:2526: Connection refused","nextDelivery":"2026-11-03T08:42:13Z","attempts":1},
             {"id":"Mail1764490000001-b2","size":120,"arrival":"2026-11-30T09:05:00Z","sender":"",
              "recipients":["admin@example.com"],"attempts":0}]
            """);

        assertThat(QueueFormat.mailq(mails, PARIS)).isEqualTo("""
            -Queue ID-  --Size-- ----Arrival Time---- -Sender/Recipient-------
            Mail1764490000000-a1     2457 Tue Nov  3 08:42:13  app@example.com
            (connect to [127.0.0.1]:2526: Connection refused)
                                                     user@example.net
                                                     other@example.net

            Mail1764490000001-b2      120 Mon Nov 30 10:05:00  MAILER-DAEMON
                                                     admin@example.com

            -- 3 Kbytes in 2 Requests.
            """);
    }

    @Test
    void mailqShouldSayWhenTheQueueIsEmpty() throws Exception {
        assertThat(QueueFormat.mailq(json("[]"), PARIS)).isEqualTo("Mail queue is empty\n");
    }

    @Test
    void mailqShouldCountOneRequestInTheSingular() throws Exception {
        JsonNode mails = json("""
            [{"id":"Mail1-a","size":1024,"arrival":"2026-11-30T09:05:00Z","sender":"a@example.com","recipients":["b@example.net"]}]
            """);

        assertThat(QueueFormat.mailq(mails, PARIS)).endsWith("\n-- 1 Kbytes in 1 Request.\n");
    }

    @Test
    void envelopeShouldListTheFieldsLikePostcat() throws Exception {
        JsonNode mail = json("""
            {"id":"Mail1-a","size":2457,"arrival":"2026-11-30T09:05:00Z","sender":"app@example.com",
             "recipients":["user@example.net"],"reason":"conversation with [127.0.0.1]:2526 timed out",
             "nextDelivery":"2026-11-30T09:10:00Z","attempts":1}
            """);

        assertThat(QueueFormat.envelope(mail, PARIS)).isEqualTo("""
            *** ENVELOPE RECORDS Mail1-a ***
            message_size: 2457
            message_arrival_time: Mon Nov 30 10:05:00
            sender: app@example.com
            recipient: user@example.net
            reason: conversation with [127.0.0.1]:2526 timed out
            attempts: 1
            next_attempt_time: Mon Nov 30 10:10:00
            """);
    }

    private static JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text);
    }
}
