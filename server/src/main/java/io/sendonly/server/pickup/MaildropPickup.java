package io.sendonly.server.pickup;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.annotation.PreDestroy;
import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.AddressException;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.lifecycle.api.Startable;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.MimeMessageInputStreamSource;
import org.apache.james.server.core.MimeMessageWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Postfix {@code pickup} for bin/sendmail's maildrop: at start and every few seconds, each {@code *.mail} file in
 * {@code var/maildrop} is put on the durable spool queue, then deleted; a file is deleted only once queued, so a
 * crash in between delivers it twice rather than never. A file that cannot be read as a message is moved to
 * {@code var/maildrop/corrupt/} with a log line, never retried forever nor silently deleted.
 */
public class MaildropPickup implements Startable {
    static final String MAILDROP = "file://var/maildrop";
    static final Duration PERIOD = Duration.ofSeconds(5);
    private static final String SUFFIX = ".mail";
    private static final Logger LOGGER = LoggerFactory.getLogger(MaildropPickup.class);

    private final Path maildrop;
    private final MailQueue spool;
    private final ScheduledExecutorService scheduler;

    @Inject
    MaildropPickup(FileSystem fileSystem, MailQueueFactory<?> queues) throws IOException {
        this.maildrop = fileSystem.getFile(MAILDROP).toPath();
        this.spool = queues.createQueue(MailQueueFactory.SPOOL);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "maildrop-pickup");
            thread.setDaemon(true);
            return thread;
        });
    }

    public void start() {
        scheduler.scheduleWithFixedDelay(this::pickUpAll, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    public void stop() throws InterruptedException {
        scheduler.shutdownNow();
        scheduler.awaitTermination(10, TimeUnit.SECONDS);
    }

    void pickUpAll() {
        if (!Files.isDirectory(maildrop)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(maildrop, "*" + SUFFIX)) {
            for (Path file : files) {
                pickUp(file);
            }
        } catch (IOException | RuntimeException e) {
            LOGGER.error("Maildrop pickup failed in {}; will retry", maildrop, e);
        }
    }

    private void pickUp(Path file) throws IOException {
        MailImpl mail;
        try {
            mail = read(file);
        } catch (IOException | MessagingException | IllegalArgumentException e) {
            Path corrupt = Files.createDirectories(maildrop.resolve("corrupt")).resolve(file.getFileName());
            Files.move(file, corrupt, StandardCopyOption.REPLACE_EXISTING);
            LOGGER.error("Maildrop file {} is not a message ({}): moved to {}", file.getFileName(), e.getMessage(), corrupt);
            return;
        }
        try {
            spool.enQueue(mail);
            Files.delete(file);
            LOGGER.info("Picked up {} from the maildrop as {}", file.getFileName(), mail.getName());
        } catch (MessagingException e) {
            LOGGER.warn("Could not queue maildrop file {}; will retry", file.getFileName(), e);
        } finally {
            mail.dispose();
        }
    }

    /** Reads the format bin/sendmail writes: Sender and Recipient lines, an empty line, the message. */
    static MailImpl read(Path file) throws IOException, MessagingException {
        byte[] content = Files.readAllBytes(file);
        int separator = indexOfBlankLine(content);
        if (separator < 0) {
            throw new IllegalArgumentException("no envelope");
        }
        MaybeSender sender = null;
        List<MailAddress> recipients = new ArrayList<>();
        for (String line : new String(content, 0, separator, StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("Sender: <") && line.endsWith(">")) {
                sender = MaybeSender.getMailSender(line.substring("Sender: <".length(), line.length() - 1));
            } else if (line.startsWith("Recipient: <") && line.endsWith(">")) {
                recipients.add(address(line.substring("Recipient: <".length(), line.length() - 1)));
            } else {
                throw new IllegalArgumentException("unexpected envelope line '" + line + "'");
            }
        }
        if (sender == null || recipients.isEmpty()) {
            throw new IllegalArgumentException("envelope without sender or recipients");
        }
        byte[] message = Arrays.copyOfRange(content, separator + 2, content.length);
        String name = "maildrop-" + UUID.randomUUID();
        return MailImpl.builder()
            .name(name)
            .sender(sender)
            .addRecipients(recipients)
            .remoteAddr("127.0.0.1")
            .remoteHost("localhost")
            .mimeMessage(new MimeMessageWrapper(MimeMessageInputStreamSource.create(name, new ByteArrayInputStream(message))))
            .build();
    }

    private static MailAddress address(String value) {
        try {
            return new MailAddress(value);
        } catch (AddressException e) {
            throw new IllegalArgumentException("bad recipient <" + value + ">", e);
        }
    }

    private static int indexOfBlankLine(byte[] content) {
        for (int i = 0; i + 1 < content.length; i++) {
            if (content[i] == '\n' && content[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
