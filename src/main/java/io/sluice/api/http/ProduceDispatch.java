package io.sluice.api.http;

import io.sluice.api.ApiErrors;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.sluice.metrics.HttpServerMetrics.RouteTimers;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;

/**
 * The HTTP server's request handler: sends {@code POST /topics/{topic}/records} with a batch body
 * straight to {@link ProduceHandler}, and every other request to the router.
 *
 * <p>Why: the produce route is the hot path, and for a single-record POST vertx-web's routing (a
 * routing context, matching the routes' patterns, decoding path parameters, a handler chain with
 * its own end handlers) was about a tenth of the event loop's time. The path is matched here only
 * in its plain form: one segment of topic-name characters between {@code /topics/} and
 * {@code /records}, no percent-encoding. Anything else (NDJSON streams, escaped or unusual paths)
 * takes the router, whose route for the same path does the same, so both give the same answers.
 *
 * <p>With security on, the request is authenticated here as the router would
 * ({@link HttpAuthentication}); {@link ProduceHandler#produceBatch} authorizes it.
 *
 * <p>A cross-origin request when CORS is on ({@link CorsPolicy}) goes to the router too, for its CORS
 * handler to check its origin and add its headers; a preflight is an {@code OPTIONS} and goes there anyway.
 */
final class ProduceDispatch implements Handler<HttpServerRequest> {
    private static final String PREFIX = "/topics/";
    private static final String SUFFIX = "/records";

    private final Router router;
    private final ProduceHandler produce;
    private final RouteTimers timers;
    private final HttpAuthentication authentication;
    private final boolean secured;
    private final boolean cors;
    private final HttpQuotas quotas;
    /** Whether a request rate quota is configured (read once: the hot path pays this field). */
    private final boolean limitsRequests;

    ProduceDispatch(Router router, ProduceHandler produce, RouteTimers timers, HttpAuthentication authentication,
                    boolean secured, boolean cors, HttpQuotas quotas) {
        this.cors = cors;
        this.quotas = quotas;
        this.limitsRequests = quotas.limitsRequests();
        this.router = router;
        this.produce = produce;
        this.timers = timers;
        this.authentication = authentication;
        this.secured = secured;
    }

    @Override
    public void handle(HttpServerRequest request) {
        String topic = request.method() == HttpMethod.POST ? topicOf(request.path()) : null;
        String contentType = topic == null ? null : request.getHeader(HttpHeaderNames.CONTENT_TYPE);
        if (topic == null || ProduceHandler.isNdjson(contentType) || (cors && request.headers().contains(HttpHeaderNames.ORIGIN))) {
            router.handle(request);
            return;
        }
        timers.time(request.response());
        if (!secured && !limitsRequests) {
            produce.produceBatch(request, topic, contentType, HttpAuthentication.ANONYMOUS, e -> fail(request, e));
            return;
        }
        if (!secured) {
            quotas.admit(request, HttpAuthentication.ANONYMOUS, () ->
                    produce.produceBatch(request, topic, contentType, HttpAuthentication.ANONYMOUS, e -> fail(request, e)));
            return;
        }
        authentication.authenticate(request, request.path(), session -> {
            if (limitsRequests) {
                quotas.admit(request, session, () -> produce.produceBatch(request, topic, contentType, session, e -> fail(request, e)));
            } else {
                produce.produceBatch(request, topic, contentType, session, e -> fail(request, e));
            }
        });
    }

    private static void fail(HttpServerRequest request, Throwable e) {
        var error = ApiErrors.toSluice(e);
        ErrorResponder.send(request, error.code(), error.getMessage());
    }

    /** The router behind the hot path (its routes are what tests sweep). */
    Router router() {
        return router;
    }

    /** The topic of a plain {@code /topics/{topic}/records} path, or null for any other path. */
    static String topicOf(String path) {
        if (path == null || !path.startsWith(PREFIX) || !path.endsWith(SUFFIX)) {
            return null;
        }
        int end = path.length() - SUFFIX.length();
        if (end <= PREFIX.length()) {
            return null;
        }
        for (int i = PREFIX.length(); i < end; i++) {
            char c = path.charAt(i);
            boolean nameChar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!nameChar) {
                return null;
            }
        }
        String topic = path.substring(PREFIX.length(), end);
        // (Dot segments are path syntax to the router, which normalizes them away.)
        return topic.equals(".") || topic.equals("..") ? null : topic;
    }
}
