package io.sendonly.webadmin;

import java.io.IOException;
import java.util.function.Supplier;

import org.apache.james.webadmin.authentication.AuthenticationFilter;
import org.apache.james.webadmin.utils.ErrorResponder;
import org.apache.james.webadmin.utils.ErrorResponder.ErrorType;
import org.eclipse.jetty.http.HttpStatus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sendonly.config.EditableTable;
import io.sendonly.config.Fields;
import io.sendonly.config.TableEditor;

import spark.Request;

/** What our routes share: the JSON object a request carries, and the JSON error answers of James's webadmin. */
final class Answers {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Answers() {
    }

    /** The body as a JSON object, or a 400 answer. */
    static JsonNode jsonObject(Request request) {
        JsonNode node = json(request);
        if (!node.isObject()) {
            throw badRequest("the body is not a JSON object");
        }
        return node;
    }

    /** The body as JSON, or a 400 answer. */
    static JsonNode json(Request request) {
        try {
            JsonNode node = MAPPER.readTree(request.body());
            if (node == null) {
                throw badRequest("the body is empty");
            }
            return node;
        } catch (IOException e) {
            throw badRequest("the body is not JSON: " + e.getMessage());
        }
    }

    /**
     * A string field of the body, without surrounding spaces; 400 naming the field when it is missing, not a string,
     * or holds a character no configuration line can (see {@link Fields#characters}).
     */
    static String text(JsonNode body, String field) {
        return string(body.path(field), field);
    }

    /** @param node a value of the body, e.g. an element of an array, checked as {@link #text} does */
    static String string(JsonNode node, String field) {
        if (node.isMissingNode() || node.isNull()) {
            throw badRequest(field + ": missing");
        }
        if (!node.isTextual()) {
            throw badRequest(field + ": expected a string, got " + node.getNodeType().name().toLowerCase());
        }
        try {
            return Fields.characters(field, node.asText()).trim();
        } catch (IllegalArgumentException e) {
            throw badRequest(e.getMessage());
        }
    }

    /** Runs {@code edit}; its IllegalArgumentException, whose message names the field, becomes a 400. */
    static void valid(Edit edit) throws IOException {
        try {
            edit.run();
        } catch (IllegalArgumentException e) {
            throw badRequest(e.getMessage());
        }
    }

    /** What {@code check} gives; its IllegalArgumentException, whose message names the field, becomes a 400. */
    static <T> T checked(Supplier<T> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            throw badRequest(e.getMessage());
        }
    }

    /** A change to a configuration file, refusing bad input with an IllegalArgumentException. */
    interface Edit {
        void run() throws IOException;
    }

    /** The table in force; a 500 naming file and line when it no longer reads (edited by hand since the start). */
    static <E> EditableTable<E> current(TableEditor<E> editor) throws IOException {
        try {
            return editor.table();
        } catch (IllegalArgumentException e) {
            throw serverError("cannot read " + e.getMessage());
        }
    }

    /** Who asked, for the log of a change: the client address, and the JWT subject when authentication is on. */
    static String who(Request request) {
        Object login = request.attribute(AuthenticationFilter.LOGIN);
        return request.ip() + (login == null ? "" : " (" + login + ")");
    }

    /** @param message starts with the field it is about, e.g. {@code "network: ..."} */
    static RuntimeException badRequest(String message) {
        return error(HttpStatus.BAD_REQUEST_400, ErrorType.INVALID_ARGUMENT, message);
    }

    static RuntimeException conflict(String message) {
        return error(HttpStatus.CONFLICT_409, ErrorType.INVALID_ARGUMENT, message);
    }

    static RuntimeException notFound(String message) {
        return error(HttpStatus.NOT_FOUND_404, ErrorType.NOT_FOUND, message);
    }

    static RuntimeException serverError(String message) {
        return error(HttpStatus.INTERNAL_SERVER_ERROR_500, ErrorType.SERVER_ERROR, message);
    }

    private static RuntimeException error(int status, ErrorType type, String message) {
        return ErrorResponder.builder().statusCode(status).type(type).message(message).haltError();
    }
}
