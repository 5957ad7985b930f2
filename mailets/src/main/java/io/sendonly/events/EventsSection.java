package io.sendonly.events;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.tree.ImmutableNode;

/** One optional section of {@code events.xml} ({@link Events#CONFIGURATION}): at most once, only the names it declares. */
public final class EventsSection {
    private EventsSection() {
    }

    /**
     * @param events the whole of {@code events.xml}, empty when the file is absent
     * @return the section, empty when it is not there
     * @throws IllegalArgumentException the section appears more than once, or has an element or attribute it does
     *     not declare
     */
    public static Optional<HierarchicalConfiguration<ImmutableNode>> of(HierarchicalConfiguration<ImmutableNode> events, String name,
                                                                      Set<String> elements, Set<String> attributes) {
        List<HierarchicalConfiguration<ImmutableNode>> sections = events.configurationsAt(name);
        if (sections.isEmpty()) {
            return Optional.empty();
        }
        if (sections.size() > 1) {
            throw new IllegalArgumentException("events.xml: <" + name + "> appears " + sections.size() + " times");
        }
        ImmutableNode root = sections.get(0).getNodeModel().getNodeHandler().getRootNode();
        for (ImmutableNode child : root.getChildren()) {
            if (!elements.contains(child.getNodeName())) {
                throw new IllegalArgumentException("events.xml: <" + name + "> has an unknown element <" + child.getNodeName()
                    + ">; expected one of " + new TreeSet<>(elements));
            }
        }
        for (String attribute : root.getAttributes().keySet()) {
            if (!attributes.contains(attribute)) {
                throw new IllegalArgumentException("events.xml: <" + name + "> has an unknown attribute " + attribute
                    + "; expected one of " + new TreeSet<>(attributes));
            }
        }
        return Optional.of(sections.get(0));
    }
}
