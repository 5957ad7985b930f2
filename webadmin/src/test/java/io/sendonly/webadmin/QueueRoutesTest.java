package io.sendonly.webadmin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;

import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.james.queue.api.ManageableMailQueue;
import org.apache.james.queue.api.RawMailQueueItemDecoratorFactory;
import org.apache.james.queue.memory.MemoryMailQueueFactory;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sendonly.deliver.DeliveryAttributes;

class QueueRoutesTest {
    private static final String ID = "Mail1764490000000-8c4e";
    private static final Instant QUEUED_AT = Instant.parse("2026-11-30T10:00:00Z");

    private final MemoryMailQueueFactory queues = new MemoryMailQueueFactory(new RawMailQueueItemDecoratorFactory());
    private ManageableMailQueue outgoing;
    private RoutesServer server;

    @BeforeEach
    void setUp() {
        outgoing = queues.createQueue(QueueRoutes.OUTGOING);
        server = RoutesServer.start(new QueueRoutes(queues));
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void getShouldListTheDeferredMailWithItsReasonAndAttempts() throws Exception {
        FakeMail mail = mail(ID);
        mail.setErrorMessage("451 4.4.1 mx.example.org: try again later");
        mail.setAttribute(new Attribute(DeliveryAttributes.QUEUED_AT, AttributeValue.of(QUEUED_AT.toEpochMilli())));
        mail.setAttribute(new Attribute(DeliveryAttributes.RETRIES, AttributeValue.of(2)));
        outgoing.enQueue(mail);

        String body = server.get(QueueRoutes.BASE_PATH).body();

        assertThat(body).contains("\"id\":\"" + ID + "\"", "\"sender\":\"app@example.com\"", "\"recipients\":[\"user@example.org\"]",
            "\"arrival\":\"" + QUEUED_AT + "\"", "\"reason\":\"451 4.4.1 mx.example.org: try again later\"", "\"attempts\":2");
    }

    @Test
    void getShouldListAnEmptyQueueAsAnEmptyArray() throws Exception {
        assertThat(server.get(QueueRoutes.BASE_PATH).body()).isEqualTo("[]");
    }

    @Test
    void getOneShouldAnswerThatMailAnd404ForAnother() throws Exception {
        outgoing.enQueue(mail(ID));
        outgoing.enQueue(mail("Mail2"));

        assertThat(server.get(QueueRoutes.BASE_PATH + "/Mail2").body()).contains("\"id\":\"Mail2\"").doesNotContain(ID);
        HttpResponse<String> missing = server.get(QueueRoutes.BASE_PATH + "/Mail3");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("id: Mail3 is not in the queue");
    }

    @Test
    void getMessageShouldAnswerTheQueuedMessage() throws Exception {
        outgoing.enQueue(mail(ID));

        HttpResponse<String> response = server.get(QueueRoutes.BASE_PATH + "/" + ID + "/message");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("message/rfc822"));
        assertThat(response.body()).contains("Subject: invoice 42", "the body");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a'b", "a%20OR%201=1", "a)"})
    void anIdThatNoMailNameHasShouldAnswer400(String id) throws Exception {
        HttpResponse<String> response = server.delete(QueueRoutes.BASE_PATH + "/" + id);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("is not a queue id");
    }

    @Test
    void deleteShouldRemoveThatMailOnly() throws Exception {
        outgoing.enQueue(mail(ID));
        outgoing.enQueue(mail("Mail2"));

        HttpResponse<String> response = server.delete(QueueRoutes.BASE_PATH + "/" + ID);

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(outgoing.getSize()).isEqualTo(1);
        assertThat(server.get(QueueRoutes.BASE_PATH).body()).contains("Mail2").doesNotContain(ID);
    }

    @Test
    void deleteShouldAnswer404ForAMailNotQueued() throws Exception {
        assertThat(server.delete(QueueRoutes.BASE_PATH + "/" + ID).statusCode()).isEqualTo(404);
    }

    private static FakeMail mail(String name) throws Exception {
        return FakeMail.builder().name(name).sender("app@example.com").recipient("user@example.org")
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().setSubject("invoice 42").setText("the body"))
            .build();
    }
}
