package io.sendonly.deliver;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.server.core.configuration.ConfigurationProvider;

/**
 * The one name this server gives itself (Postfix's {@code myhostname}): {@code <helloName>} of the first server in
 * {@code conf/smtpserver.xml}, or the local host name when that says {@code autodetect} (James's default). The SMTP
 * greeting, outgoing EHLO, the pickup's Received header and the self-signed certificate all use it.
 */
public final class HeloName {
    private static final String SMTP_SERVER = "smtpserver";

    private HeloName() {
    }

    public static String of(ConfigurationProvider configuration) throws ConfigurationException {
        List<HierarchicalConfiguration<ImmutableNode>> servers =
            configuration.getConfiguration(SMTP_SERVER).configurationsAt(SMTP_SERVER);
        return servers.isEmpty() ? localHostName() : of(servers.get(0));
    }

    /** The same rule as James's SMTP server applies to its own {@code helloName}. */
    public static String of(HierarchicalConfiguration<ImmutableNode> server) throws ConfigurationException {
        if (server.getBoolean("helloName.[@autodetect]", true)) {
            return localHostName();
        }
        String name = server.getString("helloName", "").trim();
        if (name.isEmpty()) {
            throw new ConfigurationException("smtpserver.xml: <helloName autodetect=\"false\"> needs a host name");
        }
        return name;
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
