package io.sluice.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.common.Clock;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The HTTP front end's meters, shared by every server instance of the node: response time per
 * route, method and status code ({@code sluice_http_server_response_time_seconds}, whose
 * {@code _count} is the request count) and open WebSockets.
 *
 * <p>Vert.x's own HTTP server metrics (vertx-micrometer's HTTP_SERVER domain) are off in the
 * node, because they look up their meters by name and tags on every request: a tag merge, a meter
 * id, a registry lookup and an active-requests gauge per request. That was 8 % of the event loops'
 * CPU on single-record POSTs (BENCHMARKS.md). Here a route resolves its timer once per status code
 * and keeps it, so a request costs one clock read, one end handler and one timer update. Requests
 * that match no route (404, 405) and WebSocket upgrades are not timed.
 */
public final class HttpServerMetrics {
    static final String RESPONSE_TIME = "sluice.http.server.response.time";

    private final MeterRegistry registry;
    private final Clock clock;
    private final AtomicLong webSockets = new AtomicLong();

    /** {@code clock}: its monotonic time measures responses. */
    HttpServerMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        Gauge.builder("sluice.http.server.active.websockets", webSockets, AtomicLong::get)
                .description("Open WebSockets (produce and consume sockets)").register(registry);
    }

    /**
     * A handler to put first on a route: times each request from routing to the end of its
     * response, under the route's path (so {@code /topics/:topic/records}, not each topic).
     */
    public RouteTimers timing(HttpMethod method, String route) {
        return new RouteTimers(method.name(), route);
    }

    /**
     * A socket's session started (the upgrade succeeded). Counted by the sessions, not by the
     * connection: an upgraded connection's close handler does not run when its socket closes.
     */
    public void webSocketOpened() {
        webSockets.incrementAndGet();
    }

    /** A socket's session ended; called once per {@link #webSocketOpened}. */
    public void webSocketClosed() {
        webSockets.decrementAndGet();
    }

    /**
     * One route's timers, made on first use of each status code and kept. A platform handler, as
     * vertx-web runs those before body handlers: the time includes reading the body.
     */
    public final class RouteTimers implements PlatformHandler {
        private final String method;
        private final String route;
        private final AtomicReferenceArray<Timer> byStatus = new AtomicReferenceArray<>(600);

        RouteTimers(String method, String route) {
            this.method = method;
            this.route = route;
        }

        @Override
        public void handle(RoutingContext ctx) {
            long start = clock.monotonicNanos();
            ctx.addEndHandler(ar -> record(ctx.response().getStatusCode(), clock.monotonicNanos() - start));
            ctx.next();
        }

        /**
         * Times a request of this route that is handled without the router, from now until its
         * response ends or its connection closes (as the router's end handler does).
         */
        public void time(HttpServerResponse response) {
            long start = clock.monotonicNanos();
            boolean[] done = {false};
            Handler<Void> end = v -> {
                if (!done[0]) {
                    done[0] = true;
                    record(response.getStatusCode(), clock.monotonicNanos() - start);
                }
            };
            response.endHandler(end).closeHandler(end);
        }

        private void record(int status, long nanos) {
            if (status < 100 || status >= 600) {
                timer(status).record(nanos, TimeUnit.NANOSECONDS);
                return;
            }
            Timer timer = byStatus.get(status);
            if (timer == null) {
                // The registry returns the same timer to a racing thread, so a lost race is harmless.
                timer = timer(status);
                byStatus.set(status, timer);
            }
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }

        private Timer timer(int status) {
            return Timer.builder(RESPONSE_TIME).description("Time from routing a request to the end of its response")
                    .tags("route", route, "method", method, "code", Integer.toString(status)).register(registry);
        }
    }
}
