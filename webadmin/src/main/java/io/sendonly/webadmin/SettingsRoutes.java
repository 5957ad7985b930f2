package io.sendonly.webadmin;

import java.io.IOException;
import java.nio.file.Path;

import javax.inject.Inject;
import javax.mail.internet.AddressException;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.lifecycle.api.Configurable;
import org.apache.james.server.core.configuration.ConfigurationProvider;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.ErrorResponder;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.apache.mailet.MailetContext;
import org.eclipse.jetty.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.sendonly.config.Domains;
import io.sendonly.qualify.AliasSystemAccounts;
import spark.Request;
import spark.Response;
import spark.Service;

/**
 * The default domain (nullmailer's {@code defaultdomain}, Postfix's {@code myorigin}) and the admin address
 * (nullmailer's {@code adminaddr}), kept where James boots them from: {@code <defaultDomain>} of
 * {@code conf/domainlist.xml} and {@code <context><postmaster>} of {@code conf/mailetcontainer.xml}.
 * <ul>
 *   <li>{@code GET /sendonly/settings}: {@code {"defaultDomain":"example.com","adminAddress":"ops@example.com"}};</li>
 *   <li>{@code PUT /sendonly/settings} with either field or both: each file rewritten atomically, then the running
 *       domain list and mailet context configured again from it, so that the next message uses the new values;
 *       400 naming the field for a malformed value or an admin address no one reads (root@, postmaster@ the
 *       default domain).</li>
 * </ul>
 */
public class SettingsRoutes implements Routes {
    public static final String BASE_PATH = "/sendonly/settings";
    private static final String DOMAIN_LIST_FILE = "file://conf/domainlist.xml";
    private static final String MAILET_CONTAINER_FILE = "file://conf/mailetcontainer.xml";
    private static final Logger LOGGER = LoggerFactory.getLogger(SettingsRoutes.class);

    public record SettingsDto(String defaultDomain, String adminAddress) {
    }

    private final FileSystem fileSystem;
    private final ConfigurationProvider configurationProvider;
    private final DomainList domainList;
    private final MailetContext mailetContext;
    private final JsonTransformer json = new JsonTransformer();

    @Inject
    public SettingsRoutes(FileSystem fileSystem, ConfigurationProvider configurationProvider, DomainList domainList,
                          MailetContext mailetContext) {
        this.fileSystem = fileSystem;
        this.configurationProvider = configurationProvider;
        this.domainList = domainList;
        this.mailetContext = mailetContext;
    }

    @Override
    public String getBasePath() {
        return BASE_PATH;
    }

    @Override
    public void define(Service service) {
        service.get(BASE_PATH, (request, response) -> current(), json);
        service.put(BASE_PATH, this::update, json);
    }

    private SettingsDto current() throws DomainListException {
        return new SettingsDto(domainList.getDefaultDomain().asString(), mailetContext.getPostmaster().asString());
    }

    private synchronized SettingsDto update(Request request, Response response) throws Exception {
        JsonNode body = Answers.jsonObject(request);
        if (!body.has("defaultDomain") && !body.has("adminAddress")) {
            throw Answers.badRequest("defaultDomain: expected defaultDomain, adminAddress or both");
        }
        SettingsDto before = current();
        Domain defaultDomain = body.has("defaultDomain") ? domain(body.get("defaultDomain")) : Domain.of(before.defaultDomain());
        MailAddress admin = body.has("adminAddress") ? address(body.get("adminAddress")) : mailetContext.getPostmaster();
        if (AliasSystemAccounts.isSystemAccount(admin, defaultDomain)) {
            throw Answers.badRequest("adminAddress: '" + admin.asString() + "' is a system account of this host, whose mail "
                + "goes to the admin address itself: give a mailbox someone reads");
        }
        if (!defaultDomain.asString().equals(before.defaultDomain())) {
            XmlConfigFile.setText(file(DOMAIN_LIST_FILE), defaultDomain.asString(), "defaultDomain");
            reconfigure(domainList, "domainlist");
        }
        if (!admin.asString().equals(before.adminAddress())) {
            XmlConfigFile.setText(file(MAILET_CONTAINER_FILE), admin.asString(), "context", "postmaster");
            reconfigure(mailetContext, "mailetcontainer.context");
        }
        SettingsDto after = current();
        LOGGER.info("webadmin: {} set defaultDomain {} (was {}), adminAddress {} (was {})", Answers.who(request),
            after.defaultDomain(), before.defaultDomain(), after.adminAddress(), before.adminAddress());
        return after;
    }

    /** Configured again from the file just written, as at boot; a component James did not make Configurable keeps its value until restart. */
    private void reconfigure(Object component, String configuration) throws ConfigurationException {
        if (component instanceof Configurable configurable) {
            configurable.configure(configurationProvider.getConfiguration(configuration));
        } else {
            throw ErrorResponder.builder()
                .statusCode(HttpStatus.INTERNAL_SERVER_ERROR_500)
                .type(ErrorResponder.ErrorType.SERVER_ERROR)
                .message(configuration + " was saved but cannot be applied to this server's "
                    + component.getClass().getSimpleName() + " without a restart")
                .haltError();
        }
    }

    private static Domain domain(JsonNode node) {
        return Domain.of(Answers.checked(() -> Domains.domain("defaultDomain", Answers.string(node, "defaultDomain"))));
    }

    private static MailAddress address(JsonNode node) {
        String value = Answers.string(node, "adminAddress");
        try {
            if (!value.contains("@")) {
                throw new AddressException("no domain");
            }
            MailAddress address = new MailAddress(value);
            if (!Domains.isDomain(address.getDomain().asString()) && !address.getDomain().equals(Domain.LOCALHOST)) {
                throw new AddressException("bad domain");
            }
            return address;
        } catch (AddressException e) {
            throw Answers.badRequest("adminAddress: '" + node.asText("") + "': expected a mail address, e.g. ops@example.com");
        }
    }

    private Path file(String url) throws IOException {
        return fileSystem.getFile(url).toPath();
    }
}
