package io.sendonly.webadmin;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.eclipse.jetty.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.common.net.InetAddresses;

import io.sendonly.check.TrustedHostsEditor;
import io.sendonly.check.TrustedNetworks;
import io.sendonly.config.EditableTable;
import io.sendonly.config.TableEditor;
import spark.Request;
import spark.Response;
import spark.Service;

/**
 * The clients that may relay without AUTH, kept in the {@code TrustedHosts} file RelayOnlyForTrustedClients reads
 * ({@code smtpserver.xml}, default {@code conf/TrustedHosts}; the SMTP hook and the pipeline re-read it when it
 * changes, so a change applies without restart):
 * <ul>
 *   <li>{@code GET /sendonly/trustedNetworks}: the entries, in file order;</li>
 *   <li>{@code POST /sendonly/trustedNetworks} with {@code {"network":"172.18.0.0/16"}}: 201; 400 naming the field
 *       for anything but an IP address or CIDR block; 409 when already listed;</li>
 *   <li>{@code DELETE /sendonly/trustedNetworks?network=172.18.0.0/16}: 204; 404 when not listed.</li>
 * </ul>
 * Changes go through {@link TrustedHostsEditor} (checked as at start-up, written atomically, comments kept), one at
 * a time.
 */
public class TrustedNetworksRoutes implements Routes {
    public static final String BASE_PATH = "/sendonly/trustedNetworks";
    private static final String NETWORK = "network";
    private static final Logger LOGGER = LoggerFactory.getLogger(TrustedNetworksRoutes.class);

    private final TableEditor<String> editor;
    private final JsonTransformer json = new JsonTransformer();

    @Inject
    public TrustedNetworksRoutes(ConfiguredFiles files) {
        this.editor = TrustedHostsEditor.open(files.trustedHosts());
    }

    @Override
    public String getBasePath() {
        return BASE_PATH;
    }

    @Override
    public void define(Service service) {
        service.get(BASE_PATH, (request, response) -> Answers.current(editor).entries(), json);
        service.post(BASE_PATH, this::add);
        service.delete(BASE_PATH, this::remove);
    }

    private synchronized String add(Request request, Response response) throws IOException {
        String network = network(Answers.text(Answers.jsonObject(request), NETWORK));
        EditableTable<String> table = Answers.current(editor);
        if (table.entries().contains(network)) {
            throw Answers.conflict(NETWORK + ": " + network + " is already trusted");
        }
        Answers.valid(() -> editor.write(table.add(network)));
        LOGGER.info("webadmin: {} added trusted network {}", Answers.who(request), network);
        response.status(HttpStatus.CREATED_201);
        return "";
    }

    private synchronized String remove(Request request, Response response) throws IOException {
        String network = Optional.ofNullable(request.queryParams(NETWORK)).orElse("").trim();
        EditableTable<String> table = Answers.current(editor);
        if (!table.entries().contains(network)) {
            throw Answers.notFound(NETWORK + ": " + network + " is not in the trusted networks");
        }
        Answers.valid(() -> editor.write(table.removeIf(network::equals)));
        LOGGER.info("webadmin: {} removed trusted network {}", Answers.who(request), network);
        response.status(HttpStatus.NO_CONTENT_204);
        return "";
    }

    /** An IP address or CIDR block, checked as TrustedHosts reads it; host names are for the file, not the API. */
    private static String network(String value) {
        String address = value.contains("/") ? value.substring(0, value.indexOf('/')) : value;
        try {
            if (!InetAddresses.isInetAddress(address)) {
                throw new IllegalArgumentException("not an IP address");
            }
            TrustedNetworks.parse(List.of(value), NETWORK);
            return value;
        } catch (IllegalArgumentException e) {
            throw Answers.badRequest(NETWORK + ": '" + value + "' is not an IP address or CIDR block");
        }
    }
}
