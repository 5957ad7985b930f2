package io.sendonly.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/** Queued mail as Postfix prints it: the listing of mailq, the envelope of postcat. */
final class QueueFormat {
    private static final String HEADER = "-Queue ID-  --Size-- ----Arrival Time---- -Sender/Recipient-------";
    private static final String RECIPIENT_INDENT = " ".repeat(41);
    /** ctime(3) without the year, as mailq prints it. */
    private static final DateTimeFormatter ARRIVAL = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss", Locale.ROOT);

    private QueueFormat() {
    }

    /**
     * As mailq (showq): per mail its id, size, arrival time and sender, the deferral reason in brackets, then each
     * recipient; a total line at the end, or "Mail queue is empty".
     * @param mails {@code GET /sendonly/queue}'s answer
     */
    static String mailq(JsonNode mails, ZoneId zone) {
        if (mails.isEmpty()) {
            return "Mail queue is empty\n";
        }
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        long bytes = 0;
        for (JsonNode mail : mails) {
            long size = mail.path("size").asLong();
            bytes += size;
            out.append(String.format(Locale.ROOT, "%-11s %8d %-20s %s%n", mail.path("id").asText(), size,
                time(mail.path("arrival"), zone), sender(mail)));
            if (mail.path("reason").isTextual()) {
                out.append('(').append(mail.get("reason").asText()).append(")\n");
            }
            mail.path("recipients").forEach(recipient -> out.append(RECIPIENT_INDENT).append(recipient.asText()).append('\n'));
            out.append('\n');
        }
        int count = mails.size();
        out.append(String.format(Locale.ROOT, "-- %d Kbytes in %d Request%s.%n", (bytes + 1023) / 1024, count, count == 1 ? "" : "s"));
        return out.toString();
    }

    /**
     * As the envelope records of postcat: one {@code name: value} line per field, between postcat's markers; the
     * message follows {@link #messageMarker(String)}.
     * @param mail {@code GET /sendonly/queue/ID}'s answer
     */
    static String envelope(JsonNode mail, ZoneId zone) {
        StringBuilder out = new StringBuilder("*** ENVELOPE RECORDS " + mail.path("id").asText() + " ***\n");
        out.append("message_size: ").append(mail.path("size").asLong()).append('\n');
        out.append("message_arrival_time: ").append(time(mail.path("arrival"), zone)).append('\n');
        out.append("sender: ").append(sender(mail)).append('\n');
        mail.path("recipients").forEach(recipient -> out.append("recipient: ").append(recipient.asText()).append('\n'));
        if (mail.path("reason").isTextual()) {
            out.append("reason: ").append(mail.get("reason").asText()).append('\n');
        }
        out.append("attempts: ").append(mail.path("attempts").asInt()).append('\n');
        out.append("next_attempt_time: ").append(time(mail.path("nextDelivery"), zone)).append('\n');
        return out.toString();
    }

    static String messageMarker(String id) {
        return "*** MESSAGE CONTENTS " + id + " ***\n";
    }

    static String endMarker(String id) {
        return "*** MESSAGE FILE END " + id + " ***\n";
    }

    private static String time(JsonNode instant, ZoneId zone) {
        return instant.isTextual() ? ARRIVAL.format(Instant.parse(instant.asText()).atZone(zone)) : "";
    }

    private static String sender(JsonNode mail) {
        String sender = mail.path("sender").asText("");
        return sender.isEmpty() ? "MAILER-DAEMON" : sender;
    }
}
