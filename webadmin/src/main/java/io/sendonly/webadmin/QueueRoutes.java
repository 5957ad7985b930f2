package io.sendonly.webadmin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.queue.api.ManageableMailQueue;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.apache.mailet.Mail;
import org.eclipse.jetty.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sendonly.deliver.DeliveryAttributes;
import spark.Request;
import spark.Response;
import spark.Service;

/**
 * The deferred mail of the {@code outgoing} queue as Postfix's mailq, postcat and postsuper show it, for
 * {@code bin/mailq} and {@code bin/sendonly queue}:
 * <ul>
 *   <li>{@code GET /sendonly/queue}: each mail's id, size in bytes, arrival (when delivery first took it), sender,
 *       recipients still to deliver, the last deferral reason, the next attempt and the attempts so far;</li>
 *   <li>{@code GET /sendonly/queue/ID}: one of them; 404 when the id is not queued;</li>
 *   <li>{@code GET /sendonly/queue/ID/message}: its message as queued ({@code message/rfc822}); 404 as above;</li>
 *   <li>{@code DELETE /sendonly/queue/ID}: removes it, undelivered and unreported; 204, 404 as above.</li>
 * </ul>
 * An id is a mail name, e.g. {@code Mail1764490000000-8c4e...}. To deliver deferred mail now, James's
 * {@code PATCH /mailQueues/outgoing/mails?delayed=true}.
 */
public class QueueRoutes implements Routes {
    public static final String BASE_PATH = "/sendonly/queue";
    /** RouteDelivery's {@code outgoingQueue}, where deferred mail waits. */
    static final MailQueueName OUTGOING = MailQueueName.of("outgoing");
    /** Mail names as James makes them; nothing that could end the JMS selector a removal builds from it. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._!@+-]{1,200}");
    private static final String ID_PARAM = ":id";
    private static final Logger LOGGER = LoggerFactory.getLogger(QueueRoutes.class);

    public record QueuedMailDto(String id, long size, Optional<String> arrival, String sender, List<String> recipients,
                                Optional<String> reason, Optional<String> nextDelivery, int attempts) {
        static QueuedMailDto of(ManageableMailQueue.MailQueueItemView item) throws MessagingException {
            Mail mail = item.getMail();
            return new QueuedMailDto(mail.getName(), mail.getMessageSize(), DeliveryAttributes.queuedAt(mail).map(Instant::toString),
                mail.getMaybeSender().asString(""), mail.getRecipients().stream().map(MailAddress::asString).toList(),
                Optional.ofNullable(mail.getErrorMessage()), item.getNextDelivery().map(next -> next.toInstant().toString()),
                DeliveryAttributes.retries(mail));
        }
    }

    private final MailQueueFactory<? extends ManageableMailQueue> queues;
    private final JsonTransformer json = new JsonTransformer();

    @Inject
    public QueueRoutes(MailQueueFactory<? extends ManageableMailQueue> queues) {
        this.queues = queues;
    }

    @Override
    public String getBasePath() {
        return BASE_PATH;
    }

    @Override
    public void define(Service service) {
        service.get(BASE_PATH, (request, response) -> browse(Optional.empty(), QueuedMailDto::of), json);
        service.get(BASE_PATH + "/" + ID_PARAM, (request, response) -> one(request, QueuedMailDto::of), json);
        service.get(BASE_PATH + "/" + ID_PARAM + "/message", this::message);
        service.delete(BASE_PATH + "/" + ID_PARAM, this::remove);
    }

    private byte[] message(Request request, Response response) throws IOException, MessagingException {
        byte[] message = one(request, item -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            item.getMail().getMessage().writeTo(bytes);
            return bytes.toByteArray();
        });
        response.type("message/rfc822");
        return message;
    }

    private String remove(Request request, Response response) throws MessagingException {
        String id = id(request);
        if (queue().remove(ManageableMailQueue.Type.Name, id) == 0) {
            throw notQueued(id);
        }
        LOGGER.info("webadmin: {} deleted {} from the {} queue", Answers.who(request), id, OUTGOING.asString());
        response.status(HttpStatus.NO_CONTENT_204);
        return "";
    }

    private <T> T one(Request request, ItemReader<T> reader) throws IOException, MessagingException {
        String id = id(request);
        return browse(Optional.of(id), reader).stream().findFirst().orElseThrow(() -> notQueued(id));
    }

    /** Reads the queued mails, or the one named; each mail is released once read, as a queue of any size is browsed. */
    private <T> List<T> browse(Optional<String> id, ItemReader<T> reader) throws IOException, MessagingException {
        List<T> read = new ArrayList<>();
        ManageableMailQueue.MailQueueIterator items = queue().browse();
        try {
            while (items.hasNext()) {
                ManageableMailQueue.MailQueueItemView item = items.next();
                try {
                    if (id.map(item.getMail().getName()::equals).orElse(true)) {
                        read.add(reader.read(item));
                    }
                } finally {
                    LifecycleUtil.dispose(item.getMail());
                }
            }
            return read;
        } finally {
            items.close();
        }
    }

    private ManageableMailQueue queue() {
        return queues.getQueue(OUTGOING).orElseThrow(() -> Answers.notFound("queue: no " + OUTGOING.asString() + " queue"));
    }

    private static String id(Request request) {
        String id = request.params(ID_PARAM);
        if (!ID.matcher(id).matches()) {
            throw Answers.badRequest("id: '" + id + "' is not a queue id");
        }
        return id;
    }

    private static RuntimeException notQueued(String id) {
        return Answers.notFound("id: " + id + " is not in the queue");
    }

    /** Reads what a route answers from a queued mail, which may mean parsing its message. */
    private interface ItemReader<T> {
        T read(ManageableMailQueue.MailQueueItemView item) throws MessagingException, IOException;
    }
}
