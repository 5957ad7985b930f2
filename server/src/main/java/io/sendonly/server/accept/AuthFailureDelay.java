package io.sendonly.server.accept;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.PendingWriteQueue;

/**
 * Holds the reply to a failed AUTH ({@code 535}, RFC 4954) for the delay {@link AuthFailures} gives, with every reply
 * after it, and reads nothing meanwhile: the client waits as with Postfix's sleeping smtpd, but no thread sleeps.
 * Pipelined failures add their delays. One instance per connection, on the connection's event loop.
 */
final class AuthFailureDelay extends ChannelOutboundHandlerAdapter {
    private final AuthFailures failures;
    private PendingWriteQueue held;
    /** {@link System#nanoTime()} at which the held replies go out; meaningful while {@code holding}. */
    private long releaseAt;
    private boolean holding;

    AuthFailureDelay(AuthFailures failures) {
        this.failures = failures;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        held = new PendingWriteQueue(ctx);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf reply && isAuthFailure(reply)) {
            Duration delay = failures.recordFailure(((InetSocketAddress) ctx.channel().remoteAddress()).getAddress());
            hold(ctx, delay);
        }
        if (holding) {
            held.add(msg, promise);
            return;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (!holding) {
            ctx.flush();
        }
    }

    private void hold(ChannelHandlerContext ctx, Duration delay) {
        if (holding) {
            releaseAt += delay.toNanos();
            return;
        }
        holding = true;
        releaseAt = System.nanoTime() + delay.toNanos();
        ctx.channel().config().setAutoRead(false);
        schedule(ctx, delay);
    }

    private void schedule(ChannelHandlerContext ctx, Duration delay) {
        ctx.executor().schedule(() -> release(ctx), delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void release(ChannelHandlerContext ctx) {
        long left = releaseAt - System.nanoTime();
        if (left > 0) {
            schedule(ctx, Duration.ofNanos(left));
            return;
        }
        holding = false;
        held.removeAndWriteAll();
        ctx.flush();
        ctx.channel().config().setAutoRead(true);
    }

    private static boolean isAuthFailure(ByteBuf reply) {
        int start = reply.readerIndex();
        return reply.readableBytes() >= 4 && reply.getByte(start) == '5' && reply.getByte(start + 1) == '3' && reply.getByte(start + 2) == '5'
            && (reply.getByte(start + 3) == ' ' || reply.getByte(start + 3) == '-');
    }
}
