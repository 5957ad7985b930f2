import java.util.concurrent.atomic.AtomicLong;

import javax.jms.BytesMessage;
import javax.jms.Connection;
import javax.jms.DeliveryMode;
import javax.jms.JMSException;
import javax.jms.MessageConsumer;
import javax.jms.MessageProducer;
import javax.jms.Session;

import org.apache.activemq.ActiveMQConnectionFactory;

/**
 * A broker pair's raw figures through the client our nodes use (ActiveMQ's OpenWire client; Artemis speaks OpenWire
 * too), so that engines are compared with one client and one workload:
 * <ul>
 *   <li>{@code rate N THREADS}: THREADS producers send N persistent 2 KB messages (sent/s), then one transacted
 *       consumer takes them one commit each, as James's dequeue does (received/s);</li>
 *   <li>{@code gap SECONDS}: one producer sends for SECONDS and prints the longest wait between two sends: kill -9
 *       the serving broker meanwhile, and that is the failover as a client sees it.</li>
 * </ul>
 * Usage: {@code java -cp "DIST/lib/*" bench/EngineProbe.java URL USER PASSWORD rate N THREADS | gap SECONDS}
 */
public class EngineProbe {
    private static final byte[] BODY = new byte[2048];

    public static void main(String[] args) throws Exception {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(args[0]);
        factory.setUserName(args[1]);
        factory.setPassword(args[2]);
        if (args[3].equals("rate")) {
            rate(factory, Integer.parseInt(args[4]), Integer.parseInt(args[5]));
        } else {
            gap(factory, Integer.parseInt(args[4]));
        }
    }

    private static void rate(ActiveMQConnectionFactory factory, int messages, int threads) throws Exception {
        AtomicLong left = new AtomicLong(messages);
        Thread[] producers = new Thread[threads];
        long sendStart = System.nanoTime();
        for (int i = 0; i < threads; i++) {
            producers[i] = new Thread(() -> {
                try (Connection connection = factory.createConnection()) {
                    Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                    MessageProducer producer = persistentProducer(session, "probe");
                    while (left.getAndDecrement() > 0) {
                        producer.send(message(session));
                    }
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
            });
            producers[i].start();
        }
        for (Thread producer : producers) {
            producer.join();
        }
        double sendSeconds = (System.nanoTime() - sendStart) / 1e9;
        long receiveStart = System.nanoTime();
        int received = 0;
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = session.createConsumer(session.createQueue("probe"));
            while (received < messages && consumer.receive(5000) != null) {
                session.commit();
                received++;
            }
        }
        double receiveSeconds = (System.nanoTime() - receiveStart) / 1e9;
        System.out.printf("probe sent=%d sent_per_s=%.0f received=%d transacted_received_per_s=%.0f%n",
            messages, messages / sendSeconds, received, received / receiveSeconds);
    }

    private static void gap(ActiveMQConnectionFactory factory, int seconds) throws JMSException {
        long end = System.currentTimeMillis() + 1000L * seconds;
        long last = System.currentTimeMillis();
        long longest = 0;
        long sent = 0;
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = persistentProducer(session, "gap");
            while (System.currentTimeMillis() < end) {
                producer.send(message(session));
                sent++;
                long now = System.currentTimeMillis();
                longest = Math.max(longest, now - last);
                last = now;
            }
        }
        System.out.printf("probe sent=%d longest_wait_between_sends_ms=%d%n", sent, longest);
    }

    private static MessageProducer persistentProducer(Session session, String queue) throws JMSException {
        MessageProducer producer = session.createProducer(session.createQueue(queue));
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        return producer;
    }

    private static BytesMessage message(Session session) throws JMSException {
        BytesMessage message = session.createBytesMessage();
        message.writeBytes(BODY);
        return message;
    }
}
