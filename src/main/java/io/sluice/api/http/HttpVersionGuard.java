package io.sluice.api.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Turns an HTTP/1 request line with a version other than 1.0 and 1.1 ({@code GET / HTTP/9.9}) into
 * an invalid request, so that {@link ErrorResponder#invalidRequest} answers it (505, the error
 * shape). Netty parses any {@code HTTP/x.y}, and Vert.x answers such a request itself, 501 with an
 * empty body, before any handler of ours runs: the only place to catch it is the connection's
 * pipeline, behind Netty's decoder and ahead of Vert.x's handler.
 */
@ChannelHandler.Sharable
final class HttpVersionGuard extends ChannelInboundHandlerAdapter {
    private static final HttpVersionGuard INSTANCE = new HttpVersionGuard();
    private static final String NAME = "sluice-http-version";

    /** Thrown into the request's decoder result; {@link ErrorResponder} maps it to 505. */
    static final class UnsupportedVersionException extends RuntimeException {
        UnsupportedVersionException() {
            super("unsupported HTTP version", null, false, false);
        }
    }

    private HttpVersionGuard() {
    }

    /** The HTTP server's connection handler: installs the guard on each HTTP/1 connection. */
    static void install(HttpConnection connection) {
        if (connection instanceof ConnectionBase base) {
            ChannelPipeline pipeline = base.channelHandlerContext().pipeline();
            // HTTP/1 connections only: HTTP/2 has no version in its requests.
            if (pipeline.get("httpDecoder") != null && pipeline.get("handler") != null && pipeline.get(NAME) == null) {
                pipeline.addBefore("handler", NAME, INSTANCE);
            }
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request && request.decoderResult().isSuccess()) {
            HttpVersion version = request.protocolVersion();
            if (version != HttpVersion.HTTP_1_1 && version != HttpVersion.HTTP_1_0) {
                request.setDecoderResult(DecoderResult.failure(new UnsupportedVersionException()));
            }
        }
        ctx.fireChannelRead(msg);
    }
}
