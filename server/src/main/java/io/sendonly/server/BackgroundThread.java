package io.sendonly.server;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The one daemon thread a component runs its periodic work on, named for it in thread dumps. */
public final class BackgroundThread {
    /** How long a stop waits for the work in progress. */
    static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private BackgroundThread() {
    }

    public static ScheduledExecutorService named(String name) {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Interrupts the work in progress and waits for it, at most {@link #STOP_WAIT}. */
    public static void stop(ScheduledExecutorService scheduler) throws InterruptedException {
        scheduler.shutdownNow();
        scheduler.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
