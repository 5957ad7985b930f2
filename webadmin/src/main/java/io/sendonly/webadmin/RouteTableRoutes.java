package io.sendonly.webadmin;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.ErrorResponder;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.eclipse.jetty.http.HttpStatus;

import io.sendonly.route.NextHop;
import io.sendonly.route.RouteTable;
import spark.Request;
import spark.Response;
import spark.Service;

/**
 * {@code GET /sendonly/routes}: the route table of {@code conf/routes} in precedence order (recipient domains,
 * sender domains, default), each route with its smart hosts in failover order. Passwords are never answered:
 * a hop says only whether it has credentials and for which user.
 */
public class RouteTableRoutes implements Routes {
    public static final String BASE_PATH = "/sendonly/routes";
    static final String ROUTES_FILE = "file://conf/routes";

    public record HopDto(String host, int port, boolean mxLookup, String tls, boolean verifyCertificate,
                         Optional<String> caFile, Optional<String> user, Optional<String> authMethod) {
        static HopDto of(NextHop hop) {
            // Opportunistic and plain connections never check a certificate, whatever the hop says.
            boolean verifies = hop.verifyCertificate() && hop.tls() != NextHop.TlsMode.OPPORTUNISTIC && hop.tls() != NextHop.TlsMode.NONE;
            return new HopDto(hop.host(), hop.port(), hop.mxLookup(), hop.tls().name(), verifies, hop.caFile(),
                hop.credentials().map(NextHop.Credentials::user), hop.credentials().map(credentials -> credentials.method().name()));
        }
    }

    public record RouteDto(String match, Optional<String> domain, boolean direct, List<HopDto> smartHosts) {
        static RouteDto of(RouteTable.Entry entry) {
            return new RouteDto(entry.match().name().toLowerCase(), entry.domain(), entry.route().direct(),
                entry.route().smartHosts().stream().map(HopDto::of).toList());
        }
    }

    private final FileSystem fileSystem;
    private final JsonTransformer json;

    @Inject
    public RouteTableRoutes(FileSystem fileSystem) {
        this.fileSystem = fileSystem;
        this.json = new JsonTransformer();
    }

    @Override
    public String getBasePath() {
        return BASE_PATH;
    }

    @Override
    public void define(Service service) {
        service.get(BASE_PATH, this::list, json);
    }

    private List<RouteDto> list(Request request, Response response) {
        return table().entries().stream().map(RouteDto::of).toList();
    }

    private RouteTable table() {
        try (InputStream in = fileSystem.getResource(ROUTES_FILE)) {
            return RouteTable.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList(), "conf/routes");
        } catch (FileNotFoundException e) {
            return RouteTable.parse(List.of(), "conf/routes");
        } catch (IOException | IllegalArgumentException e) {
            throw ErrorResponder.builder()
                .statusCode(HttpStatus.INTERNAL_SERVER_ERROR_500)
                .type(ErrorResponder.ErrorType.SERVER_ERROR)
                .message("cannot read the route table: " + e.getMessage())
                .haltError();
        }
    }
}
