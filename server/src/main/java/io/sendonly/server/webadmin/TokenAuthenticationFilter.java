package io.sendonly.server.webadmin;

import org.apache.james.webadmin.authentication.AuthenticationFilter;
import org.apache.james.webadmin.utils.ErrorResponder;
import org.eclipse.jetty.http.HttpStatus;

import spark.Request;
import spark.Response;

/** Lets a request through only with {@code Authorization: Bearer} and the operator token; 401 otherwise. */
public class TokenAuthenticationFilter implements AuthenticationFilter {
    static final String OPERATOR = "operator";
    private static final String BEARER = "Bearer ";

    private final OperatorToken token;

    public TokenAuthenticationFilter(OperatorToken token) {
        this.token = token;
    }

    @Override
    public void handle(Request request, Response response) {
        String authorization = request.headers("Authorization");
        boolean valid = authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
            && token.matches(authorization.substring(BEARER.length()).trim());
        if (!valid) {
            response.header("WWW-Authenticate", "Bearer realm=\"james-sendonly webadmin\"");
            throw ErrorResponder.builder()
                .statusCode(HttpStatus.UNAUTHORIZED_401)
                .type(ErrorResponder.ErrorType.INVALID_ARGUMENT)
                .message("Authorization: expected 'Bearer' and the operator token of " + OperatorToken.FILE)
                .haltError();
        }
        request.attribute(LOGIN, OPERATOR);
    }
}
