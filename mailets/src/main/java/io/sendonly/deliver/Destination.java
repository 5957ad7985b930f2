package io.sendonly.deliver;

import java.util.Optional;

import org.apache.james.core.Domain;

import io.sendonly.route.RouteTable.Route;

/**
 * The recipients of a mail that one attempt takes together: a direct route goes per recipient domain (to its MX), a
 * smart-host route takes every domain at once.
 *
 * @param mxDomain the recipient domain whose MX a direct route uses; empty for smart hosts
 */
record Destination(Route route, Optional<Domain> mxDomain) {
    static Destination of(Route route, Domain recipientDomain) {
        return new Destination(route, route.direct() ? Optional.of(recipientDomain) : Optional.empty());
    }
}
