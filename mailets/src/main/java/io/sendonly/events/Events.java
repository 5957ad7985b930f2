package io.sendonly.events;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the mailets and the server publish {@link MessageEvent}s, and where listeners subscribe. A listener's
 * failure is logged and never reaches the mail: events observe delivery, they do not steer it. With no listener (a
 * stock James running our mailets) publishing costs nothing but the event.
 */
@Singleton
public class Events {
    private static final Logger LOGGER = LoggerFactory.getLogger(Events.class);

    /** {@code conf/events.xml}: one section per part (log, suppression, webhooks); absent, every default holds. */
    public static final String CONFIGURATION = "events";

    private final List<EventListener> listeners = new CopyOnWriteArrayList<>();

    @Inject
    public Events() {
    }

    public void subscribe(EventListener listener) {
        listeners.add(listener);
    }

    public void publish(MessageEvent event) {
        for (EventListener listener : listeners) {
            try {
                listener.on(event);
            } catch (RuntimeException e) {
                LOGGER.error("{} failed on the {} event of {}", listener, event.type(), event.queueId(), e);
            }
        }
    }

    /** True when someone listens: spares building events nobody reads. */
    public boolean observed() {
        return !listeners.isEmpty();
    }
}
