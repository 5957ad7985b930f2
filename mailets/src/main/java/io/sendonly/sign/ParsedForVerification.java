package io.sendonly.sign;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.james.jdkim.api.Headers;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.io.EOLConvertingInputStream;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.message.DefaultMessageWriter;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;

/**
 * A message as jDKIM's verifier reads it: the parse and the field rendering of jDKIM's {@code impl.Message}, made
 * with mime4j's builder and writer directly. jDKIM's class looks mime4j's factory up through the service loader at
 * every parse and at every header lookup, which reads every jar's index: 15 % of the server's CPU under load.
 */
final class ParsedForVerification implements Headers, AutoCloseable {
    private static final MimeConfig LIMITS = MimeConfig.custom().setMaxLineLen(10000).setMaxHeaderLen(30000).build();
    private static final DefaultMessageWriter WRITER = new DefaultMessageWriter();

    private final Message message;

    ParsedForVerification(InputStream in) throws IOException, MimeException {
        DefaultMessageBuilder builder = new DefaultMessageBuilder();
        builder.setMimeEntityConfig(LIMITS);
        builder.setFlatMode(true);
        builder.setContentDecoding(false);
        this.message = builder.parseMessage(new EOLConvertingInputStream(in));
    }

    InputStream body() throws IOException {
        return ((SingleBody) message.getBody()).getInputStream();
    }

    @Override
    public List<String> getFields() {
        return rendered(message.getHeader().getFields());
    }

    @Override
    public List<String> getFields(String name) {
        return rendered(message.getHeader().getFields(name));
    }

    /** Each field as written, without its final CRLF, in the platform charset as jDKIM reads it. */
    private static List<String> rendered(List<Field> fields) {
        List<String> rendered = new ArrayList<>(fields.size());
        for (Field field : fields) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                WRITER.writeField(field, out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            byte[] bytes = out.toByteArray();
            rendered.add(new String(bytes, 0, bytes.length - 2));
        }
        return rendered;
    }

    @Override
    public void close() {
        message.dispose();
    }
}
