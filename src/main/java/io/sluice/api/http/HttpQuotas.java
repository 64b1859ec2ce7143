package io.sluice.api.http;

import io.sluice.api.Api;
import io.sluice.common.ErrorCode;
import io.sluice.quota.ClientQuotaManager;
import io.sluice.quota.Quotas;
import io.sluice.security.Session;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Client quotas at the HTTP door, as Kafka enforces them: a request's usage is recorded against
 * the quota of its principal and client id ({@code client_id} query parameter, else the
 * {@code X-Client-Id} header), and a client over quota is throttled by delaying the answer (a
 * Vert.x timer: the event loop never waits) for the time its rate needs to fall back within the
 * quota. Produce and fetch bytes delay the response; the request rate delays the start of the
 * request (it costs the node nothing meanwhile). When the client is already further over quota than
 * a delay may last (the whole quota window; a single request far above the quota gets there), the
 * request is refused before any work with {@code 429 {"error_code":42901}} and a
 * {@code Retry-After} of the seconds needed.
 *
 * <p>Without a quota of a kind configured, each call costs a field read.
 */
final class HttpQuotas {
    private final Vertx vertx;
    private final Quotas quotas;
    private final io.sluice.common.Clock clock;

    HttpQuotas(Api api) {
        this.vertx = api.vertx();
        this.quotas = api.quotas();
        this.clock = api.clock();
    }

    ClientQuotaManager produce() {
        return quotas.produce();
    }

    ClientQuotaManager fetch() {
        return quotas.fetch();
    }

    boolean limitsRequests() {
        return quotas.request().enabled();
    }

    static String clientId(HttpServerRequest request) {
        return Quotas.clientId(request);
    }

    /**
     * Answers 429 and true when {@code session}'s client is already over {@code quota} by more than
     * a delay may last; false (nothing answered) otherwise, and always when the quota is off.
     */
    boolean refused(HttpServerRequest request, Session session, ClientQuotaManager quota) {
        if (!quota.enabled()) {
            return false;
        }
        long throttle = quota.throttleMs(session.principal(), clientId(request), clock.monotonicMillis());
        if (throttle <= quota.maxThrottleMs()) {
            return false;
        }
        refuse(request, throttle, quota);
        return true;
    }

    /**
     * Records {@code bytes} against {@code quota} and runs {@code respond} once the client is back
     * within it: at once, or after the throttle time.
     */
    void respondWithin(HttpServerRequest request, Session session, ClientQuotaManager quota, long bytes, Runnable respond) {
        if (!quota.enabled()) {
            respond.run();
            return;
        }
        long throttle = quota.record(session.principal(), clientId(request), bytes, clock.monotonicMillis());
        delay(throttle, respond);
    }

    /** A router handler counting each request against the request rate quota, delaying those over it. */
    Handler<RoutingContext> requestRate() {
        return ctx -> admit(ctx.request(), io.sluice.api.RequestSessions.of(ctx), ctx::next);
    }

    /** Counts the request against the request rate quota, and runs {@code next} when it may go on (or answers 429). */
    void admit(HttpServerRequest request, Session session, Runnable next) {
        ClientQuotaManager quota = quotas.request();
        if (!quota.enabled()) {
            next.run();
            return;
        }
        if (refused(request, session, quota)) {
            return;
        }
        long throttle = quota.record(session.principal(), clientId(request), 1, clock.monotonicMillis());
        if (throttle <= 0) {
            next.run();
            return;
        }
        // (Paused, so that its body waits rather than flows past before a handler reads it.)
        request.pause();
        vertx.setTimer(throttle, id -> {
            request.resume();
            next.run();
        });
    }

    private void delay(long throttleMs, Runnable respond) {
        if (throttleMs <= 0) {
            respond.run();
        } else {
            vertx.setTimer(throttleMs, id -> respond.run());
        }
    }

    private static void refuse(HttpServerRequest request, long throttleMs, ClientQuotaManager quota) {
        long seconds = Math.max(1, (throttleMs + 999) / 1000);
        request.response().putHeader("retry-after", Long.toString(seconds));
        ErrorResponder.send(request.response(), ErrorCode.THROTTLED, quota.type().key() + " quota exceeded; retry after "
                + seconds + " s");
    }
}
