package io.sendonly.server.testing;

import javax.inject.Inject;

import org.apache.james.utils.GuiceProbe;

import io.sendonly.events.Events;

/** The running server's {@link Events}, for tests that publish or observe events. */
public class EventsProbe implements GuiceProbe {
    private final Events events;

    @Inject
    EventsProbe(Events events) {
        this.events = events;
    }

    public Events events() {
        return events;
    }
}
