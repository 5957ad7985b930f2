package io.sendonly.preflight;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

/** The address this host's connections to the internet leave from, as the routing table chooses it. */
public final class EgressAddress {
    /** a.root-servers.net, as a literal (no lookup): any public address would do, nothing is sent to it. */
    private static final InetSocketAddress PUBLIC = new InetSocketAddress("198.41.0.4", 53);

    private EgressAddress() {
    }

    /** Connecting a UDP socket picks the source address of its route and sends nothing; empty without a route. */
    public static Optional<InetAddress> discover() {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(PUBLIC);
            InetAddress local = socket.getLocalAddress();
            return local.isAnyLocalAddress() || local.isLoopbackAddress() ? Optional.empty() : Optional.of(local);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
