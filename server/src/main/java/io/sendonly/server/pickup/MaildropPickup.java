package io.sendonly.server.pickup;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.annotation.PreDestroy;
import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.AddressException;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.lifecycle.api.Startable;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.MimeMessageInputStreamSource;
import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.james.server.core.configuration.ConfigurationProvider;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sendonly.check.ClientIsTrusted;
import io.sendonly.deliver.HeloName;
import io.sendonly.server.BackgroundThread;
import io.sendonly.server.accept.FromAlignmentGuard;

/**
 * Postfix {@code pickup} for bin/sendmail's maildrop ({@link MaildropFolder}): at start and every few seconds, each
 * {@code *.mail} file is first moved to the private {@code incoming/} folder, out of its writer's reach, then read
 * ({@link DroppedFile}) and put on the durable spool queue as a local submission by the file's owner: no client
 * address ({@link #NO_CLIENT}), trusted by its {@link ClientIsTrusted#LOCAL_SUBMITTER} uid, with a
 * {@code Received: by HOST (james-sendonly, from userid UID)} header. A file is deleted only once queued, so a crash
 * in between delivers it twice rather than never. What cannot be picked up is moved to {@code corrupt/} with the
 * reason in the log, never its content. Mail whose From cannot align under DMARC is reported ({@link FromAlignmentGuard})
 * but queued: there is no client left to refuse.
 */
public class MaildropPickup implements Startable {
    public static final String MAILDROP = "file://var/maildrop";
    static final Duration PERIOD = Duration.ofSeconds(5);
    /** RFC 1122's "this host": an address literal no trusted network holds, for mail that came from no client. */
    static final String NO_CLIENT = "0.0.0.0";
    private static final String SUFFIX = ".mail";
    private static final Logger LOGGER = LoggerFactory.getLogger(MaildropPickup.class);

    private final Path maildrop;
    private final Path incoming;
    private final Path corrupt;
    private final MailQueue spool;
    private final String hostName;
    private final Clock clock;
    private final FromAlignmentGuard alignment;
    private final ScheduledExecutorService scheduler;

    @Inject
    MaildropPickup(FileSystem fileSystem, MailQueueFactory<?> queues, ConfigurationProvider configuration, Clock clock,
                   FromAlignmentGuard alignment) throws IOException, ConfigurationException {
        this.maildrop = fileSystem.getFile(MAILDROP).toPath();
        this.incoming = maildrop.resolve("incoming");
        this.corrupt = maildrop.resolve("corrupt");
        this.spool = queues.createQueue(MailQueueFactory.SPOOL);
        this.hostName = HeloName.of(configuration);
        this.clock = clock;
        this.alignment = alignment;
        this.scheduler = BackgroundThread.named("maildrop-pickup");
    }

    public void start() throws IOException {
        MaildropFolder.prepare(maildrop);
        for (Path folder : List.of(incoming, corrupt)) {
            if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        }
        scheduler.scheduleWithFixedDelay(this::pickUpAll, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    public void stop() throws InterruptedException {
        BackgroundThread.stop(scheduler);
    }

    void pickUpAll() {
        try {
            for (Path file : list(maildrop, "*" + SUFFIX)) {
                claim(file);
            }
            for (Path file : list(incoming, "*")) {
                try {
                    pickUp(file);
                } catch (IOException | RuntimeException e) {
                    LOGGER.error("Maildrop file {} could not be picked up; will retry", printable(file), e);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOGGER.error("Maildrop pickup failed in {}; will retry", maildrop, e);
        }
    }

    /** Moves a dropped file (or link) to incoming/, where its writer can no longer swap it. */
    private void claim(Path file) throws IOException {
        try {
            Files.move(file, incoming.resolve(file.getFileName()));
        } catch (FileAlreadyExistsException e) {
            moveAside(file, "a file of that name is already being picked up");
        }
    }

    private void pickUp(Path file) throws IOException {
        DroppedFile dropped;
        MailImpl mail;
        try {
            dropped = DroppedFile.read(file);
            mail = mail(dropped);
        } catch (DroppedFile.Unusable | AddressException e) {
            moveAside(file, e.getMessage());
            return;
        } catch (MessagingException e) {
            LOGGER.warn("Could not read maildrop file {}; will retry", printable(file), e);
            return;
        }
        try {
            alignment.atPickup(mail, String.valueOf(dropped.owner()));
            spool.enQueue(mail);
            Files.delete(file);
            LOGGER.info("Picked up {} from the maildrop as {}: uid={}, from=<{}>, nrcpt={}", printable(file), mail.getName(), dropped.owner(),
                dropped.record().sender(), dropped.record().recipients().size());
        } catch (MessagingException e) {
            LOGGER.warn("Could not queue maildrop file {}; will retry", printable(file), e);
        } finally {
            mail.dispose();
        }
    }

    private MailImpl mail(DroppedFile dropped) throws MessagingException {
        String name = "maildrop-" + UUID.randomUUID();
        List<MailAddress> recipients = new ArrayList<>();
        for (String recipient : dropped.record().recipients()) {
            recipients.add(new MailAddress(recipient));
        }
        String received = "Received: by " + hostName + " (james-sendonly, from userid " + dropped.owner() + ")\r\n\tid " + name + "; "
            + DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT).format(ZonedDateTime.now(clock)) + "\r\n";
        SequenceInputStream message = new SequenceInputStream(new ByteArrayInputStream(received.getBytes(StandardCharsets.US_ASCII)),
            new ByteArrayInputStream(dropped.record().message()));
        return MailImpl.builder()
            .name(name)
            .sender(MaybeSender.getMailSender(dropped.record().sender()))
            .addRecipients(recipients)
            .remoteAddr(NO_CLIENT)
            .remoteHost("localhost")
            .addAttribute(new Attribute(ClientIsTrusted.LOCAL_SUBMITTER, AttributeValue.of(dropped.owner())))
            .mimeMessage(new MimeMessageWrapper(MimeMessageInputStreamSource.create(name, message)))
            .build();
    }

    private void moveAside(Path file, String reason) throws IOException {
        Path target = corrupt.resolve(file.getFileName());
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            target = corrupt.resolve(file.getFileName() + "." + UUID.randomUUID());
        }
        Files.move(file, target);
        LOGGER.error("Maildrop file {} cannot be picked up ({}): moved to {}", printable(file), reason, corrupt);
    }

    private static List<Path> list(Path folder, String glob) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, glob)) {
            entries.forEach(files::add);
        }
        return files;
    }

    /** A file name as the log may show it: its writer chose it. */
    private static String printable(Path file) {
        return file.getFileName().toString().replaceAll("[^ -~]", "?");
    }
}
