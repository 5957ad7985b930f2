package io.sendonly.sendmail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One maildrop file, the format bin/sendmail writes and the server's pickup reads (Postfix's records, readable with
 * {@code less}): the line {@code SENDONLY-MAILDROP 1}, then records of one type letter, the value's length in
 * octets, {@code :}, the value and a newline: {@code U} the submitting uid, {@code S} the sender (empty for
 * {@code <>}), one {@code R} per recipient, {@code M} the message, and nothing after it. A value is delimited by
 * its length, never by what it holds, so no value can add a record; and every address must still be a
 * {@link Mailbox}, when written and when read.
 *
 * @param uid        the uid sendmail ran as; the pickup believes the file's owner and checks that they agree
 * @param sender     the envelope sender, empty for the null sender
 * @param recipients at least one
 * @param message    the message, CRLF line ends
 */
public record MaildropRecord(int uid, String sender, List<String> recipients, byte[] message) {
    /** Why a file is not a maildrop record. */
    public static final class Malformed extends Exception {
        Malformed(String message) {
            super(message);
        }
    }

    private static final byte[] MAGIC = "SENDONLY-MAILDROP 1\n".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_LENGTH_DIGITS = 10;

    public MaildropRecord {
        if (uid < 0) {
            throw new IllegalArgumentException("uid " + uid + " < 0");
        }
        if (!sender.isEmpty()) {
            requireMailbox("sender", sender);
        }
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("no recipients");
        }
        recipients.forEach(recipient -> requireMailbox("recipient", recipient));
        recipients = List.copyOf(recipients);
    }

    /** The file's content. */
    public byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + 256);
        out.writeBytes(MAGIC);
        write(out, 'U', String.valueOf(uid).getBytes(StandardCharsets.US_ASCII));
        write(out, 'S', sender.getBytes(StandardCharsets.US_ASCII));
        for (String recipient : recipients) {
            write(out, 'R', recipient.getBytes(StandardCharsets.US_ASCII));
        }
        write(out, 'M', message);
        return out.toByteArray();
    }

    public static MaildropRecord parse(byte[] content) throws Malformed {
        if (!Arrays.equals(content, 0, Math.min(MAGIC.length, content.length), MAGIC, 0, MAGIC.length)) {
            throw new Malformed("not a maildrop file (no 'SENDONLY-MAILDROP 1' line)");
        }
        Reader reader = new Reader(content, MAGIC.length);
        String uid = reader.text('U');
        if (!uid.matches("[0-9]{1,10}") || Long.parseLong(uid) > Integer.MAX_VALUE) {
            throw new Malformed("uid is not a number");
        }
        String sender = reader.text('S');
        List<String> recipients = new ArrayList<>();
        while (reader.nextType() == 'R') {
            recipients.add(reader.text('R'));
        }
        byte[] message = reader.value('M');
        if (reader.nextType() != -1) {
            throw new Malformed("data after the message");
        }
        try {
            return new MaildropRecord(Integer.parseInt(uid), sender, recipients, message);
        } catch (IllegalArgumentException e) {
            throw new Malformed(e.getMessage());
        }
    }

    private static void write(ByteArrayOutputStream out, char type, byte[] value) {
        out.writeBytes((type + String.valueOf(value.length) + ":").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(value);
        out.write('\n');
    }

    private static void requireMailbox(String role, String address) {
        Optional<String> problem = Mailbox.problem(address);
        if (problem.isPresent()) {
            throw new IllegalArgumentException("bad " + role + " address: " + problem.get());
        }
    }

    /** Reads records in order, each checked against its declared length. */
    private static final class Reader {
        private final byte[] content;
        private int position;

        Reader(byte[] content, int position) {
            this.content = content;
            this.position = position;
        }

        int nextType() {
            return position < content.length ? content[position] : -1;
        }

        String text(char type) throws Malformed {
            return new String(value(type), StandardCharsets.US_ASCII);
        }

        byte[] value(char type) throws Malformed {
            if (nextType() != type) {
                throw new Malformed("expected a '" + type + "' record at offset " + position);
            }
            int colon = position + 1;
            while (colon < content.length && colon - position - 1 <= MAX_LENGTH_DIGITS && Character.isDigit(content[colon])) {
                colon++;
            }
            String digits = new String(content, position + 1, colon - position - 1, StandardCharsets.US_ASCII);
            if (colon >= content.length || content[colon] != ':' || digits.isEmpty() || digits.length() > MAX_LENGTH_DIGITS
                || digits.length() > 1 && digits.startsWith("0")) {
                throw new Malformed("bad length of the '" + type + "' record at offset " + position);
            }
            long length = Long.parseLong(digits);
            if (length > content.length - colon - 2L || content[colon + 1 + (int) length] != '\n') {
                throw new Malformed("the '" + type + "' record at offset " + position + " is cut short");
            }
            position = colon + 1 + (int) length + 1;
            return Arrays.copyOfRange(content, colon + 1, colon + 1 + (int) length);
        }
    }
}
