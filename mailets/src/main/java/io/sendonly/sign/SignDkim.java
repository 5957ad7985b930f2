package io.sendonly.sign;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sendonly.dkim.DkimSigning;
import io.sendonly.dkim.SigningEngine;
import io.sendonly.dkim.SigningKey;
import io.sendonly.events.EventType;
import io.sendonly.events.Events;
import io.sendonly.events.MessageEvent;
import io.sendonly.events.MessageIds;
import io.sendonly.metrics.DeliveryMetrics;
import io.sendonly.mime.MessageBytes;

/**
 * DKIM-signs relayed mail by OpenDKIM tables: the From address is looked up in the SigningTable, whose entry names a
 * KeyTable key (domain, selector, private key). Keys are loaded and test-signed once, in {@code init()}. A message
 * whose From has no entry is sent unsigned, with a log line saying why (OpenDKIM LogWhy). A message signed once
 * is never signed again (retries, reprocessing). Place it last among the mailets that change headers.
 *
 * <pre>{@code
 * <mailet match="All" class="io.sendonly.sign.SignDkim">
 *     <keyTable>file://conf/dkim/KeyTable</keyTable>
 *     <signingTable>refile:file://conf/dkim/SigningTable</signingTable>
 *     <subDomains>false</subDomains>
 *     <multipleSignatures>false</multipleSignatures>
 *     <canonicalization>relaxed/relaxed</canonicalization>
 *     <oversignHeaders>From</oversignHeaders>
 *     <signatureTTL></signatureTTL>
 *     <signingIdentity>from</signingIdentity>
 *     <selfCheck>always</selfCheck>
 * </mailet>
 * }</pre>
 * {@code selfCheck}: every signature verified before the message leaves by code that did not make it ({@link SelfCheck}:
 * Apache jDKIM, the JDK's providers): {@code always} (default), {@code never}, or {@code 1/N} for every Nth message.
 * A signature that does not verify is logged (ERROR, with a running count) and made again once; when that one fails
 * too, the mail goes to the error processor (var/mail/error), never out with a broken signature.
 * Key paths in the KeyTable are relative to the KeyTable's folder. {@code signatureTTL} (e.g. {@code 7d},
 * {@code 12h}) adds {@code x=}; empty means none.
 */
public class SignDkim extends GenericMailet {
    public static final String KEY_TABLE = "keyTable";
    public static final String SIGNING_TABLE = "signingTable";
    public static final String SUB_DOMAINS = "subDomains";
    public static final String MULTIPLE_SIGNATURES = "multipleSignatures";
    public static final String CANONICALIZATION = "canonicalization";
    public static final String OVERSIGN_HEADERS = "oversignHeaders";
    public static final String SIGNATURE_TTL = "signatureTTL";
    /** {@code from} (OpenDKIM's default: the From header address) or {@code sender} (the envelope sender). */
    public static final String SIGNING_IDENTITY = "signingIdentity";
    public static final String SELF_CHECK = "selfCheck";
    private static final Set<String> PARAMETERS = Stream.concat(SigningLookup.PARAMETERS.stream(), Stream.of(SELF_CHECK))
        .collect(Collectors.toUnmodifiableSet());

    /** Set on a mail once signed, so that reprocessing a failed mail does not sign it twice. */
    public static final AttributeName SIGNED = AttributeName.of("io.sendonly.dkim.signed");
    private static final Logger LOGGER = LoggerFactory.getLogger(SignDkim.class);

    /** The tables as loaded, with the self-check that knows their keys. */
    private record Loaded(DkimSigning signing, SelfCheck selfCheck) {
        Loaded(DkimSigning signing) {
            this(signing, new SelfCheck());
        }
    }

    private final SigningLookups lookups;
    private final Clock clock;
    private final Events events;
    private final DeliveryMetrics metrics;
    private SigningLookup lookup;
    private volatile Loaded loaded;
    private long selfCheckEvery;
    private final AtomicLong signedCount = new AtomicLong();
    private final AtomicLong selfCheckFailures = new AtomicLong();

    @Inject
    public SignDkim(SigningLookups lookups, Events events, DeliveryMetrics metrics) {
        this(lookups, Clock.systemUTC(), events, metrics);
    }

    public SignDkim(SigningLookups lookups, Clock clock, Events events, DeliveryMetrics metrics) {
        this.lookups = lookups;
        this.clock = clock;
        this.events = events;
        this.metrics = metrics;
    }

    @Override
    public void init() throws MessagingException {
        checkInitParameters(PARAMETERS);
        selfCheckEvery = selfCheckEvery(getInitParameter(SELF_CHECK, "always").trim());
        lookup = lookups.get(getMailetName(), name -> Optional.ofNullable(getInitParameter(name)));
        loaded = new Loaded(lookup.tables());
        LOGGER.info("{}: signatures computed with {}", getMailetName(), SigningEngine.get().description());
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        if (mail.getAttribute(SIGNED).isPresent()) {
            return;
        }
        MimeMessage message = mail.getMessage();
        DkimSigning.Decision decision = lookup.decide(mail);
        if (!decision.signs()) {
            LOGGER.info("{} not signed: {}", mail.getName(), decision.reason());
            return;
        }
        try {
            sign(mail, message, current(), decision);
        } catch (MessagingException | RuntimeException e) {
            metrics.signingFailed();
            throw e;
        }
    }

    /** The tables in force with their self-check, made anew when the tables were loaded again. */
    private Loaded current() {
        DkimSigning signing = lookup.tables();
        Loaded last = loaded;
        if (last.signing() != signing) {
            last = new Loaded(signing);
            loaded = last;
        }
        return last;
    }

    /** Signs, self-checks every {@code selfCheck}-th signature, and prepends the signatures to the message. */
    private void sign(Mail mail, MimeMessage message, Loaded tables, DkimSigning.Decision decision) throws MessagingException {
        DkimSigning signing = tables.signing();
        byte[] bytes = MessageBytes.of(message);
        List<String> signatures = signing.sign(bytes, decision.keys(), clock.instant());
        if (selfCheckEvery > 0 && signedCount.incrementAndGet() % selfCheckEvery == 0 && !verified(tables.selfCheck(), mail, bytes, signatures, decision)) {
            signatures = signing.sign(bytes, decision.keys(), clock.instant());
            if (!verified(tables.selfCheck(), mail, bytes, signatures, decision)) {
                throw new MessagingException(mail.getName() + ": DKIM signature does not verify, twice; not sent (see the ERROR lines)");
            }
        }
        prependHeaders(message, signatures);
        mail.setAttribute(new Attribute(SIGNED, AttributeValue.of(true)));
        LOGGER.debug("{} signed: {} by {}", mail.getName(), decision.reason(), decision.keys().stream().map(SigningKey::toString).toList());
        if (events.observed()) {
            MessageIds ids = MessageIds.of(mail);
            String keys = decision.keys().stream().map(key -> key.domain() + "/" + key.selector()).collect(Collectors.joining(","));
            events.publish(MessageEvent.of(clock.instant(), EventType.SIGNED, ids.messageId(), ids.queueId(), Map.of("keys", keys)));
        }
    }

    /** Whether every signature verifies independently; an ERROR line per one that does not. */
    private boolean verified(SelfCheck selfCheck, Mail mail, byte[] message, List<String> signatures, DkimSigning.Decision decision) {
        byte[] signed = withHeaders(signatures, message);
        Optional<List<SelfCheck.Verdict>> verdicts = selfCheck.verify(signed, signatures, decision.keys());
        if (verdicts.isEmpty()) {
            LOGGER.debug("{}: self-check skipped, 8-bit header", mail.getName());
            return true;
        }
        boolean verified = true;
        for (SelfCheck.Verdict verdict : verdicts.get()) {
            if (!verdict.verifies()) {
                verified = false;
                LOGGER.error("{}: our DKIM signature by {} does not verify: {} ({} such since start)", mail.getName(),
                    verdict.signer(), verdict.problem().orElseThrow(), selfCheckFailures.incrementAndGet());
            }
        }
        return verified;
    }

    private static byte[] withHeaders(List<String> fields, byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + 1024);
        for (String field : fields) {
            out.writeBytes((field + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(message);
        return out.toByteArray();
    }

    /** {@code always} is 1, {@code never} 0, {@code 1/N} N. */
    private long selfCheckEvery(String value) throws MessagingException {
        if (value.equals("always")) {
            return 1;
        }
        if (value.equals("never")) {
            return 0;
        }
        if (value.matches("1/[1-9][0-9]{0,8}")) {
            return Long.parseLong(value.substring(2));
        }
        throw new MessagingException(getMailetName() + ": <" + SELF_CHECK + "> '" + value + "': expected always, never or 1/N");
    }

    /** How many of our signatures did not verify since start. */
    long selfCheckFailures() {
        return selfCheckFailures.get();
    }

    /** JavaMail only appends headers: re-add the existing ones after the signatures, unchanged. */
    private static void prependHeaders(MimeMessage message, List<String> fields) throws MessagingException {
        List<String> existing = Collections.list(message.getAllHeaderLines());
        for (String name : Collections.list(message.getAllHeaders()).stream().map(javax.mail.Header::getName).distinct().toList()) {
            message.removeHeader(name);
        }
        for (String field : fields) {
            message.addHeaderLine(field);
        }
        for (String line : existing) {
            message.addHeaderLine(line);
        }
    }
}
