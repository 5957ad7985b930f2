package io.sendonly.events;

/** Something that acts on events: the event log, metrics, webhooks, the suppression list. */
@FunctionalInterface
public interface EventListener {
    /** Called on the thread that made the change: return quickly, and queue whatever may block. */
    void on(MessageEvent event);
}
