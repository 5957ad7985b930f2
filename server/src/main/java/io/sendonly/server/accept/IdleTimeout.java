package io.sendonly.server.accept;

import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * Closes a connection that sent no byte for {@code <connectiontimeout>} seconds, with Postfix's
 * {@code 421 4.4.2 Error: timeout exceeded}. James's own handler ignores Netty's first idle event and so waits twice
 * as long. One instance per connection.
 */
final class IdleTimeout extends IdleStateHandler {
    private static final Logger LOGGER = LoggerFactory.getLogger(IdleTimeout.class);
    private static final byte[] TIMEOUT_EXCEEDED = "421 4.4.2 Error: timeout exceeded\r\n".getBytes(StandardCharsets.US_ASCII);

    IdleTimeout(int seconds) {
        super(seconds, 0, 0);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
        if (event.state() == IdleState.READER_IDLE) {
            LOGGER.info("Timeout: closing the connection from {}", ctx.channel().remoteAddress());
            ctx.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT_EXCEEDED)).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
