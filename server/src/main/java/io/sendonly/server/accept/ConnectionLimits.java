package io.sendonly.server.accept;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.sendonly.metrics.DeliveryMetrics;

/**
 * Connections over the total or per-client limit get {@code 421 4.7.0} and are closed before the SMTP session starts,
 * as Postfix answers clients over {@code smtpd_client_connection_count_limit}; James 3.8.1 closes them silently.
 * As in Postfix, trusted clients have no limit of their own. One instance counts all connections of a listener.
 */
@ChannelHandler.Sharable
final class ConnectionLimits extends ChannelInboundHandlerAdapter {
    private static final Logger LOGGER = LoggerFactory.getLogger(ConnectionLimits.class);
    private static final AttributeKey<Boolean> COUNTED_PER_CLIENT = AttributeKey.valueOf("sendonly.countedPerClient");
    private static final AttributeKey<Boolean> REFUSED = AttributeKey.valueOf("sendonly.connectionRefused");

    private final int total;
    private final int perClient;
    private final Predicate<InetAddress> exempt;
    private final DeliveryMetrics metrics;
    private final AtomicInteger connections = new AtomicInteger();
    private final Map<InetAddress, Integer> connectionsPerClient = new ConcurrentHashMap<>();

    /** @param exempt clients without a limit of their own (Postfix: {@code smtpd_client_event_limit_exceptions}) */
    ConnectionLimits(ListenerLimits limits, Predicate<InetAddress> exempt, DeliveryMetrics metrics) {
        this.total = limits.connectionLimit();
        this.perClient = limits.connectionLimitPerIp();
        this.exempt = exempt;
        this.metrics = metrics;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        InetAddress client = client(ctx);
        if (connections.incrementAndGet() > total && total > 0) {
            release(ctx);
            refuse(ctx, "421 4.7.0 Error: too many connections", client, ListenerLimits.CONNECTION_LIMIT);
            return;
        }
        if (perClient > 0 && !exempt.test(client)) {
            ctx.channel().attr(COUNTED_PER_CLIENT).set(true);
            if (connectionsPerClient.merge(client, 1, Integer::sum) > perClient) {
                release(ctx);
                refuse(ctx, "421 4.7.0 Error: too many connections from " + client.getHostAddress(), client,
                    ListenerLimits.CONNECTION_LIMIT_PER_IP);
                return;
            }
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (refused(ctx)) {
            return;
        }
        release(ctx);
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (refused(ctx)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        if (!refused(ctx)) {
            super.exceptionCaught(ctx, cause);
        }
    }

    /** @param limit the parameter whose limit was reached: the metrics' reason */
    private void refuse(ChannelHandlerContext ctx, String reply, InetAddress client, String limit) {
        ctx.channel().attr(REFUSED).set(true);
        metrics.connectionRefused(limit);
        LOGGER.warn("Refused connection from {}: {}", client.getHostAddress(), reply);
        ctx.writeAndFlush(Unpooled.copiedBuffer(reply + "\r\n", StandardCharsets.US_ASCII)).addListener(ChannelFutureListener.CLOSE);
    }

    /** Gives back what {@link #channelActive} counted for this connection. */
    private void release(ChannelHandlerContext ctx) {
        connections.decrementAndGet();
        if (Boolean.TRUE.equals(ctx.channel().attr(COUNTED_PER_CLIENT).getAndSet(false))) {
            connectionsPerClient.computeIfPresent(client(ctx), (address, count) -> count > 1 ? count - 1 : null);
        }
    }

    private static boolean refused(ChannelHandlerContext ctx) {
        return Boolean.TRUE.equals(ctx.channel().attr(REFUSED).get());
    }

    private static InetAddress client(ChannelHandlerContext ctx) {
        return ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
    }
}
