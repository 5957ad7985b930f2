package io.sendonly.smtp;

import java.io.IOException;

/** The server's reply is malformed (not three digits, codes that differ across lines) or out of step with the command. */
public final class ProtocolViolation extends IOException {
    ProtocolViolation(String message) {
        super(message);
    }
}
