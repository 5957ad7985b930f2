package io.sendonly.webadmin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.internet.AddressException;

import org.apache.james.core.MailAddress;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.eclipse.jetty.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.sendonly.config.Domains;
import io.sendonly.config.Durations;
import io.sendonly.suppress.Suppression;
import io.sendonly.suppress.SuppressionList;
import io.sendonly.suppress.SuppressionStore;
import spark.Request;
import spark.Response;
import spark.Service;

/**
 * The suppression list (see {@link SuppressionList}), for {@code bin/sendonly suppressions}:
 * <ul>
 *   <li>{@code GET /sendonly/suppressions?q=TEXT&offset=0&limit=100}: the entries in force whose address contains
 *       {@code q}, by address; {@code limit} at most 1000;</li>
 *   <li>{@code GET /sendonly/suppressions/ADDRESS}: that address's entries (one per sender domain); 404 when none;</li>
 *   <li>{@code POST /sendonly/suppressions} {@code {"address": ..., "senderDomain": ..., "expires": ...}}: lists an
 *       address by hand, for mail from {@code senderDomain} only when given, until {@code expires} (an instant,
 *       {@code 2026-12-31T00:00:00Z}, or a time from now, {@code 7d}; the configured expiry when absent); 201;</li>
 *   <li>{@code DELETE /sendonly/suppressions/ADDRESS?senderDomain=DOMAIN}: removes the entry of every sender, or of
 *       that sender domain; 204, 404 when there is none.</li>
 * </ul>
 * Bad input answers 400 naming the field.
 */
public class SuppressionRoutes implements Routes {
    public static final String BASE_PATH = "/sendonly/suppressions";
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    static final String MANUAL = "manual";
    private static final String ADDRESS_PARAM = ":address";
    private static final String SENDER_DOMAIN = "senderDomain";
    private static final String ADDRESS = "address";
    private static final String EXPIRES = "expires";
    private static final Logger LOGGER = LoggerFactory.getLogger(SuppressionRoutes.class);

    public record SuppressionDto(String address, Optional<String> senderDomain, String listedAt, String expiresAt, String status,
                                 String reply) {
        static SuppressionDto of(Suppression entry) {
            return new SuppressionDto(entry.address(), entry.senderDomain(), entry.listedAt().toString(), entry.expiresAt().toString(),
                entry.status(), entry.reply());
        }
    }

    private final SuppressionList suppressions;
    private final Clock clock;
    private final JsonTransformer json = new JsonTransformer();

    @Inject
    public SuppressionRoutes(SuppressionList suppressions) {
        this(suppressions, Clock.systemUTC());
    }

    SuppressionRoutes(SuppressionList suppressions, Clock clock) {
        this.suppressions = suppressions;
        this.clock = clock;
    }

    @Override
    public String getBasePath() {
        return BASE_PATH;
    }

    @Override
    public void define(Service service) {
        service.get(BASE_PATH, (request, response) -> list(request), json);
        service.get(BASE_PATH + "/" + ADDRESS_PARAM, (request, response) -> one(request), json);
        service.post(BASE_PATH, this::add, json);
        service.delete(BASE_PATH + "/" + ADDRESS_PARAM, this::remove);
    }

    private List<SuppressionDto> list(Request request) {
        int offset = number(request, "offset", 0, Integer.MAX_VALUE).orElse(0);
        int limit = number(request, "limit", 1, MAX_LIMIT).orElse(DEFAULT_LIMIT);
        String search = Optional.ofNullable(request.queryParams("q")).orElse("");
        return store().search(search, offset, limit).stream().map(SuppressionDto::of).toList();
    }

    private List<SuppressionDto> one(Request request) {
        String address = address(request.params(ADDRESS_PARAM));
        List<Suppression> entries = store().of(address);
        if (entries.isEmpty()) {
            throw Answers.notFound(ADDRESS + ": " + address + " is not suppressed");
        }
        return entries.stream().map(SuppressionDto::of).toList();
    }

    private SuppressionDto add(Request request, Response response) {
        JsonNode body = Answers.jsonObject(request);
        String address = address(Answers.text(body, ADDRESS));
        Optional<String> senderDomain = body.hasNonNull(SENDER_DOMAIN) ? Optional.of(senderDomain(Answers.text(body, SENDER_DOMAIN)))
            : Optional.empty();
        Instant now = clock.instant();
        Instant expires = body.hasNonNull(EXPIRES) ? expires(Answers.text(body, EXPIRES), now) : now.plus(suppressions.settings().expiry());
        Suppression entry = new Suppression(address, senderDomain, now, expires, MANUAL, "added by " + Answers.who(request));
        store().add(entry);
        LOGGER.info("webadmin: {} suppressed <{}>{} until {}", Answers.who(request), entry.address(),
            senderDomain.map(domain -> " for mail from " + domain).orElse(""), expires);
        response.status(HttpStatus.CREATED_201);
        return SuppressionDto.of(entry);
    }

    private String remove(Request request, Response response) {
        String address = address(request.params(ADDRESS_PARAM));
        Optional<String> senderDomain = Optional.ofNullable(request.queryParams(SENDER_DOMAIN)).map(SuppressionRoutes::senderDomain);
        if (!store().remove(address, senderDomain)) {
            throw Answers.notFound(ADDRESS + ": " + address + senderDomain.map(domain -> " for mail from " + domain).orElse("")
                + " is not suppressed");
        }
        LOGGER.info("webadmin: {} removed <{}>{} from the suppression list", Answers.who(request), address,
            senderDomain.map(domain -> " for mail from " + domain).orElse(""));
        response.status(HttpStatus.NO_CONTENT_204);
        return "";
    }

    private SuppressionStore store() {
        return suppressions.store();
    }

    private static String address(String value) {
        try {
            return new MailAddress(value).asString();
        } catch (AddressException e) {
            throw Answers.badRequest(ADDRESS + ": '" + value + "': expected an email address, e.g. user@example.com");
        }
    }

    private static String senderDomain(String value) {
        return Answers.checked(() -> Domains.domain(SENDER_DOMAIN, value));
    }

    /** An instant, or a time from now; never in the past, which would list nothing. */
    private static Instant expires(String value, Instant now) {
        Instant expires;
        try {
            expires = Instant.parse(value);
        } catch (DateTimeParseException notAnInstant) {
            Duration duration = Answers.checked(() -> Durations.parse(value, EXPIRES));
            expires = now.plus(duration);
        }
        if (!expires.isAfter(now)) {
            throw Answers.badRequest(EXPIRES + ": '" + value + "' is not in the future");
        }
        return expires;
    }

    private static Optional<Integer> number(Request request, String parameter, int min, int max) {
        String value = request.queryParams(parameter);
        if (value == null) {
            return Optional.empty();
        }
        try {
            int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return Optional.of(number);
            }
        } catch (NumberFormatException e) {
            // answered below, as a value out of bounds
        }
        throw Answers.badRequest(parameter + ": '" + value + "': expected a number from " + min + " to " + max);
    }
}
