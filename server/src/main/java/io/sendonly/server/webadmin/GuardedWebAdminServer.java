package io.sendonly.server.webadmin;

import static org.apache.james.webadmin.utils.ErrorResponder.ErrorType.INVALID_ARGUMENT;
import static org.apache.james.webadmin.utils.ErrorResponder.ErrorType.NOT_FOUND;
import static org.apache.james.webadmin.utils.ErrorResponder.ErrorType.SERVER_ERROR;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import javax.annotation.PreDestroy;
import javax.inject.Inject;
import javax.inject.Named;

import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.util.Port;
import org.apache.james.webadmin.Constants;
import org.apache.james.webadmin.PublicRoutes;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.TlsConfiguration;
import org.apache.james.webadmin.WebAdminConfiguration;
import org.apache.james.webadmin.WebAdminServer;
import org.apache.james.webadmin.authentication.AuthenticationFilter;
import org.apache.james.webadmin.mdc.LoggingRequestFilter;
import org.apache.james.webadmin.metric.MetricPostFilter;
import org.apache.james.webadmin.metric.MetricPreFilter;
import org.apache.james.webadmin.utils.ErrorResponder;
import org.apache.james.webadmin.utils.JsonExtractException;
import org.eclipse.jetty.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import spark.Service;

/**
 * James's webadmin server with the doors closed: the {@link RequestGuard} runs first on every request, and the
 * authentication filter on every path but those of public routes ({@code /healthcheck}), deny by default. Unlike
 * James 3.8.1's server it adds no {@code Access-Control-Allow-Origin: *} (its CORS switch tests the wrong flag) and
 * no catch-all {@code OPTIONS} route, and it does not log request bodies, which carry passwords and keys. Once
 * authenticated, a request that may write holds the {@link ConfWriteLock} shared with the other nodes.
 */
public class GuardedWebAdminServer extends WebAdminServer {
    private static final Logger LOGGER = LoggerFactory.getLogger(GuardedWebAdminServer.class);
    private static final int DEFAULTS = -1;

    private final WebAdminConfiguration configuration;
    private final List<Routes> routes;
    private final AuthenticationFilter authenticationFilter;
    private final RequestGuard guard;
    private final MetricFactory metricFactory;
    private final ConfWriteLock writeLock;
    private final Service service = Service.ignite();

    @Inject
    public GuardedWebAdminServer(WebAdminConfiguration configuration, @Named("webAdminRoutes") List<Routes> routes,
                                 AuthenticationFilter authenticationFilter, WebAdminAccess access, MetricFactory metricFactory,
                                 ConfWriteLock writeLock) {
        super(configuration, routes, authenticationFilter, metricFactory, LoggingRequestFilter.create());
        this.configuration = configuration;
        this.routes = routes;
        this.authenticationFilter = authenticationFilter;
        this.guard = new RequestGuard(access);
        this.metricFactory = metricFactory;
        this.writeLock = writeLock;
    }

    @Override
    public WebAdminServer start() {
        if (!configuration.isEnabled()) {
            return this;
        }
        service.initExceptionHandler(e -> {
            throw new RuntimeException(e);
        });
        service.threadPool(configuration.getMaxThreadCount().orElse(DEFAULTS), configuration.getMinThreadCount().orElse(DEFAULTS), DEFAULTS);
        service.ipAddress(listeningAddress());
        service.port(configuration.getPort().get().getValue());
        if (configuration.isTlsEnabled()) {
            TlsConfiguration tls = configuration.getTlsConfiguration();
            service.secure(tls.getKeystoreFilePath(), tls.getKeystorePassword(), tls.getTruststoreFilePath(), tls.getTruststorePassword());
        }
        errorAnswers();
        service.before(guard);
        List<String> publicPaths = routes.stream().filter(PublicRoutes.class::isInstance).map(Routes::getBasePath).toList();
        service.before((request, response) -> {
            String path = request.pathInfo();
            if (publicPaths.stream().noneMatch(base -> path.equals(base) || path.startsWith(base + "/"))) {
                authenticationFilter.handle(request, response);
            }
        });
        service.before(writeLock::acquire);
        service.afterAfter(writeLock::release);
        service.before(new MetricPreFilter(metricFactory));
        service.after(new MetricPostFilter());
        service.before((request, response) -> response.type(Constants.JSON_CONTENT_TYPE));
        routes.forEach(route -> route.define(service));
        service.awaitInitialization();
        LOGGER.info("Web admin server started on {}:{}", configuration.getHost(), service.port());
        return this;
    }

    private String listeningAddress() {
        try {
            return configuration.getHost().equals("0.0.0.0") ? "0.0.0.0" : InetAddress.getByName(configuration.getHost()).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("webadmin.properties: host=" + configuration.getHost() + ": unknown host", e);
        }
    }

    private void errorAnswers() {
        service.notFound((request, response) -> ErrorResponder.builder().statusCode(HttpStatus.NOT_FOUND_404).type(NOT_FOUND)
            .message("%s %s can not be found", request.requestMethod(), request.pathInfo()).asString());
        service.internalServerError((request, response) -> ErrorResponder.builder().statusCode(HttpStatus.INTERNAL_SERVER_ERROR_500)
            .type(SERVER_ERROR).message("WebAdmin encountered an unexpected internal error").asString());
        service.exception(JsonExtractException.class, (e, request, response) -> {
            response.status(HttpStatus.BAD_REQUEST_400);
            response.body(ErrorResponder.builder().statusCode(HttpStatus.BAD_REQUEST_400).type(INVALID_ARGUMENT)
                .message("JSON payload of the request is not valid").cause(e).asString());
        });
        service.exception(IllegalArgumentException.class, (e, request, response) -> {
            response.status(HttpStatus.BAD_REQUEST_400);
            response.body(ErrorResponder.builder().statusCode(HttpStatus.BAD_REQUEST_400).type(INVALID_ARGUMENT)
                .message("Invalid arguments supplied in the user request").cause(e).asString());
        });
    }

    @Override
    @PreDestroy
    public void destroy() {
        if (configuration.isEnabled()) {
            service.stop();
            service.awaitStop();
            LOGGER.info("Web admin server stopped");
        }
    }

    @Override
    public Port getPort() {
        return new Port(service.port());
    }
}
