package io.sendonly.server.accept;

import java.net.InetAddress;
import java.util.function.Predicate;

import org.apache.james.protocols.api.handler.ProtocolHandlerChain;
import org.apache.james.protocols.netty.AbstractChannelPipelineFactory;
import org.apache.james.protocols.netty.AbstractSSLAwareChannelPipelineFactory;
import org.apache.james.protocols.netty.AllButStartTlsLineChannelHandlerFactory;
import org.apache.james.protocols.netty.ChannelHandlerFactory;
import org.apache.james.protocols.netty.HandlerConstants;
import org.apache.james.smtpserver.netty.SMTPServer;
import org.apache.james.smtpserver.netty.SmtpMetrics;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.sendonly.accept.RelayOnlyForTrustedClients;
import io.sendonly.metrics.DeliveryMetrics;

/**
 * James's SMTP server with the connection handling of Postfix's smtpd: connection limits answered with
 * {@code 421 4.7.0} ({@link ConnectionLimits}; the clients {@link RelayOnlyForTrustedClients} trusts have no limit of
 * their own), the idle timeout as configured ({@link IdleTimeout}), lines up to
 * {@code <maxLineLength>} and a message with a longer one refused whole ({@link OverlongDataLines}), and failed AUTH
 * slowed down ({@link AuthFailureDelay}, when the handler chain holds {@link LimitAuthFailures}).
 */
public class SendOnlySMTPServer extends SMTPServer {
    private static final String OVERLONG_DATA_LINES = "sendonlyOverlongDataLines";
    private static final String AUTH_FAILURE_DELAY = "sendonlyAuthFailureDelay";

    private final ListenerLimits limits;
    private final DeliveryMetrics deliveryMetrics;

    public SendOnlySMTPServer(SmtpMetrics metrics, ListenerLimits limits, DeliveryMetrics deliveryMetrics) {
        super(metrics);
        this.limits = limits;
        this.deliveryMetrics = deliveryMetrics;
    }

    @Override
    protected ChannelHandlerFactory createFrameHandlerFactory() {
        return new AllButStartTlsLineChannelHandlerFactory("starttls", limits.maxLineLength());
    }

    @Override
    protected AbstractChannelPipelineFactory createPipelineFactory() {
        ProtocolHandlerChain chain = getProtocolHandlerChain();
        Predicate<InetAddress> trusted = chain.getHandlers(RelayOnlyForTrustedClients.class).stream().findFirst()
            .<Predicate<InetAddress>>map(relay -> relay::isTrusted).orElse(client -> false);
        ConnectionLimits connectionLimits = new ConnectionLimits(limits, trusted, deliveryMetrics);
        OverlongDataLines overlongDataLines = new OverlongDataLines();
        int timeout = getTimeout();
        AuthFailures authFailures = chain.getHandlers(LimitAuthFailures.class).stream().findFirst().map(LimitAuthFailures::failures).orElse(null);
        // James's connection limits (0, 0) are replaced by ours, which answer before closing.
        return new AbstractSSLAwareChannelPipelineFactory<SocketChannel>(timeout, 0, 0, proxyRequired, this::getEncryption,
            getFrameHandlerFactory(), getExecutorGroup()) {
            @Override
            public void initChannel(SocketChannel channel) throws Exception {
                super.initChannel(channel);
                ChannelPipeline pipeline = channel.pipeline();
                pipeline.remove(HandlerConstants.TIMEOUT_HANDLER);
                pipeline.addBefore(HandlerConstants.FRAMER, HandlerConstants.CONNECTION_LIMIT_HANDLER, connectionLimits);
                pipeline.addBefore(HandlerConstants.FRAMER, HandlerConstants.TIMEOUT_HANDLER, new IdleTimeout(timeout));
                pipeline.addBefore(HandlerConstants.CORE_HANDLER, OVERLONG_DATA_LINES, overlongDataLines);
                if (authFailures != null) {
                    pipeline.addBefore(HandlerConstants.CORE_HANDLER, AUTH_FAILURE_DELAY, new AuthFailureDelay(authFailures));
                }
            }

            @Override
            protected ChannelInboundHandlerAdapter createHandler() {
                return createCoreHandler();
            }
        };
    }
}
