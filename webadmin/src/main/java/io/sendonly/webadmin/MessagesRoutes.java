package io.sendonly.webadmin;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import io.sendonly.events.MessageEvent;
import io.sendonly.events.log.EventJson;
import io.sendonly.events.log.EventLogSearch;
import io.sendonly.events.log.EventQuery;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * The trace: the events of the event log (within its retention) matching every filter given, in time order, as a
 * JSON array of the event log's objects.
 * <ul>
 *   <li>{@code GET /sendonly/messages?messageId=ID} (without angle brackets), {@code queueId=}, {@code recipient=},
 *   {@code since=} and {@code until=} (ISO instants, {@code until} excluded), combinable; {@code limit} (default 100,
 *   at most 10000) events from {@code offset} (default 0): 200; 400 naming the parameter for a bad or unknown one.</li>
 * </ul>
 * {@code curl -H "Authorization: Bearer $(cat var/webadmin.token)" 'http://127.0.0.1:8000/sendonly/messages?messageId=ID'}
 */
public class MessagesRoutes implements Routes {
    public static final String BASE_PATH = "/sendonly/messages";
    public static final String MESSAGE_ID = "messageId";
    public static final String QUEUE_ID = "queueId";
    public static final String RECIPIENT = "recipient";
    public static final String SINCE = "since";
    public static final String UNTIL = "until";
    public static final String OFFSET = "offset";
    public static final String LIMIT = "limit";
    private static final Set<String> PARAMETERS = Set.of(MESSAGE_ID, QUEUE_ID, RECIPIENT, SINCE, UNTIL, OFFSET, LIMIT);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final EventLogSearch search;

    @Inject
    public MessagesRoutes(EventLogSearch search) {
        this.search = search;
    }

    @Override
    public String getBasePath() {
        return BASE_PATH;
    }

    @Override
    public void define(Service service) {
        service.get(BASE_PATH, this::trace);
    }

    private String trace(Request request, Response response) throws IOException {
        EventQuery query = query(request);
        List<MessageEvent> events = search.find(query);
        ArrayNode answer = MAPPER.createArrayNode();
        events.forEach(event -> answer.add(EventJson.tree(event)));
        response.type("application/json");
        return MAPPER.writeValueAsString(answer);
    }

    private static EventQuery query(Request request) {
        request.queryParams().stream().filter(name -> !PARAMETERS.contains(name)).sorted().findFirst()
            .ifPresent(name -> {
                throw Answers.badRequest(name + ": unknown parameter; expected one of " + PARAMETERS.stream().sorted().toList());
            });
        Optional<Instant> since = text(request, SINCE).map(value -> instant(value, SINCE));
        Optional<Instant> until = text(request, UNTIL).map(value -> instant(value, UNTIL));
        int offset = number(request, OFFSET, 0);
        int limit = number(request, LIMIT, EventQuery.DEFAULT_LIMIT);
        return Answers.checked(() -> new EventQuery(text(request, MESSAGE_ID).map(MessagesRoutes::withoutBrackets),
            text(request, QUEUE_ID), text(request, RECIPIENT), since, until, offset, limit));
    }

    private static Optional<String> text(Request request, String parameter) {
        Optional<String> value = Optional.ofNullable(request.queryParams(parameter)).map(String::trim);
        if (value.isPresent() && value.get().isEmpty()) {
            throw Answers.badRequest(parameter + ": empty");
        }
        return value;
    }

    /** A Message-ID copied with its angle brackets finds the same events. */
    private static String withoutBrackets(String messageId) {
        return messageId.startsWith("<") && messageId.endsWith(">") ? messageId.substring(1, messageId.length() - 1) : messageId;
    }

    private static Instant instant(String value, String parameter) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw Answers.badRequest(parameter + ": '" + value + "' is not an ISO instant, e.g. 2026-11-30T12:00:00Z");
        }
    }

    private static int number(Request request, String parameter, int absent) {
        Optional<String> value = text(request, parameter);
        try {
            return value.map(Integer::parseInt).orElse(absent);
        } catch (NumberFormatException e) {
            throw Answers.badRequest(parameter + ": '" + value.get() + "' is not a number");
        }
    }
}
