package io.sendonly.conf;

import java.util.List;
import java.util.Optional;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.server.core.configuration.ConfigurationProvider;

/**
 * The components the server's XML configuration declares, with their parameters: the mailets of
 * {@code mailetcontainer.xml} or the SMTP handlers of {@code smtpserver.xml}. For parts that must act as another
 * component is configured (webadmin editing the tables SignDkim reads, the From-alignment guard asking SignDkim's
 * lookup). Read once, as the components read their parameters once, at start.
 */
public final class DeclaredComponents {
    private final List<HierarchicalConfiguration<ImmutableNode>> components;

    private DeclaredComponents(List<HierarchicalConfiguration<ImmutableNode>> components) {
        this.components = List.copyOf(components);
    }

    /** Every mailet of every processor of {@code mailetcontainer.xml}, in order. */
    public static DeclaredComponents mailets(ConfigurationProvider configuration) throws ConfigurationException {
        return new DeclaredComponents(configuration.getConfiguration("mailetcontainer").configurationsAt("processors.processor").stream()
            .flatMap(processor -> processor.configurationsAt("mailet").stream()).toList());
    }

    /** Every handler of every server's handler chain in {@code smtpserver.xml}, in order. */
    public static DeclaredComponents smtpHandlers(ConfigurationProvider configuration) throws ConfigurationException {
        return new DeclaredComponents(configuration.getConfiguration("smtpserver").configurationsAt("smtpserver").stream()
            .flatMap(server -> server.configurationsAt("handlerchain.handler").stream()).toList());
    }

    /** The parameters of the first component of that class, if there is one. */
    public Optional<Parameters> first(String className) {
        return components.stream().filter(component -> className.equals(component.getString("[@class]"))).findFirst()
            .map(Parameters::new);
    }

    /** The first component of that class that sets the parameter, as a trimmed value. */
    public Optional<String> parameter(String className, String name) {
        return components.stream().filter(component -> className.equals(component.getString("[@class]")))
            .map(Parameters::new).flatMap(parameters -> parameters.get(name).stream()).findFirst();
    }

    /** One component's parameters. */
    public static final class Parameters {
        private final HierarchicalConfiguration<ImmutableNode> component;

        private Parameters(HierarchicalConfiguration<ImmutableNode> component) {
            this.component = component;
        }

        /** The trimmed value; empty when unset or blank. */
        public Optional<String> get(String name) {
            return Optional.of(component.getString(name, "").trim()).filter(value -> !value.isEmpty());
        }
    }
}
