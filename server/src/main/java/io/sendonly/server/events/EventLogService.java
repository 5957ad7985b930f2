package io.sendonly.server.events;

import java.io.IOException;

import javax.annotation.PreDestroy;
import javax.inject.Inject;

import io.sendonly.events.Events;
import io.sendonly.events.log.EventLog;

/**
 * Subscribes the event log as the server is put together, before any mail can come in, and writes what it still
 * holds at a clean stop.
 */
public class EventLogService {
    private final EventLog log;

    @Inject
    EventLogService(EventLog log, Events events) throws IOException {
        this.log = log;
        log.start(events);
    }

    @PreDestroy
    void stop() {
        log.close();
    }
}
