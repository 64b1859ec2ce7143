package io.sluice.security;

import io.sluice.common.Clock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps {@link JwtKeys} in step with the JWKS document at {@code security.jwt.jwks.url}: fetched at
 * start, every {@code security.jwt.jwks.refresh.ms}, and when a token names a key id the keys do
 * not hold (an issuer that rotated its keys), at most once every {@value #ON_DEMAND_GAP_MS} ms so
 * that tokens with made-up key ids cannot make the node hammer the issuer. Fetches with Vert.x's non-blocking client; a
 * failed fetch is logged and the previous keys stay.
 */
final class JwksRefresher {
    private static final System.Logger LOG = System.getLogger(JwksRefresher.class.getName());
    private static final long FETCH_TIMEOUT_MS = 10_000;
    static final long ON_DEMAND_GAP_MS = 10_000;

    private final HttpClient client;
    private final String url;
    private final JwtKeys keys;
    private final Clock clock;
    /** Monotonic nanos of the last fetch a token with an unknown key id started; MIN_VALUE: none yet. */
    private final AtomicLong lastOnDemandNanos = new AtomicLong(Long.MIN_VALUE);

    JwksRefresher(Vertx vertx, String url, long intervalMs, JwtKeys keys, Clock clock) {
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) FETCH_TIMEOUT_MS));
        this.url = url;
        this.keys = keys;
        this.clock = clock;
        load();
        vertx.setPeriodic(intervalMs, id -> load());
    }

    /**
     * A token named a key id none of the keys has: fetches again unless another such fetch started
     * within {@value #ON_DEMAND_GAP_MS} ms.
     *
     * @return a future completed when the keys are fetched (true), or at once (false) when not fetching
     */
    Future<Boolean> unknownKey() {
        long last = lastOnDemandNanos.get();
        long now = clock.monotonicNanos();
        if (last != Long.MIN_VALUE && now - last < TimeUnit.MILLISECONDS.toNanos(ON_DEMAND_GAP_MS)) {
            return Future.succeededFuture(false);
        }
        if (!lastOnDemandNanos.compareAndSet(last, now)) {
            return Future.succeededFuture(false);
        }
        return load().transform(ar -> Future.succeededFuture(ar.succeeded()));
    }

    private Future<Void> load() {
        return client.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url).setTimeout(FETCH_TIMEOUT_MS))
                .compose(req -> req.send())
                .compose(resp -> resp.statusCode() == 200 ? resp.body()
                        : Future.failedFuture("HTTP " + resp.statusCode()))
                .map(body -> {
                    JsonArray array = new JsonObject(body).getJsonArray("keys");
                    List<JsonObject> out = new ArrayList<>();
                    if (array != null) {
                        for (Object o : array) {
                            if (o instanceof JsonObject jwk) {
                                out.add(jwk);
                            }
                        }
                    }
                    return out;
                })
                .onSuccess(keys::jwksFetched)
                .onFailure(e -> LOG.log(System.Logger.Level.WARNING, "security.jwt.jwks.url: cannot fetch " + url
                        + ", keeping the previous keys: " + e.getMessage()))
                .mapEmpty();
    }
}
