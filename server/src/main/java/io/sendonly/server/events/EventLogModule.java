package io.sendonly.server.events;

import com.google.inject.AbstractModule;

/** The event log ({@code conf/events.xml} {@code <log>}), subscribed to the events from the start. */
public class EventLogModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(EventLogService.class).asEagerSingleton();
    }
}
