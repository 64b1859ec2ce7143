package io.sluice.quota;

import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * A node's client quotas, assembled once at start from its {@link QuotaSettings}: one
 * {@link ClientQuotaManager} per {@link QuotaType} and the {@link ConnectionQuotas}. Shared by every
 * server instance of the node; {@link #expireIdle} is called periodically to drop idle sensors.
 */
public final class Quotas {
    private final ClientQuotaManager produce;
    private final ClientQuotaManager fetch;
    private final ClientQuotaManager request;
    private final ConnectionQuotas connections;
    private final QuotaSettings settings;

    public Quotas(QuotaSettings settings, MeterRegistry registry, LongSupplier nowMs) {
        this.settings = settings;
        this.produce = new ClientQuotaManager(QuotaType.PRODUCE, settings, registry, nowMs);
        this.fetch = new ClientQuotaManager(QuotaType.FETCH, settings, registry, nowMs);
        this.request = new ClientQuotaManager(QuotaType.REQUEST, settings, registry, nowMs);
        this.connections = new ConnectionQuotas(settings.maxConnectionsPerIp(), settings.maxConnectionsPerPrincipal());
    }

    /**
     * The client id a request (or WebSocket upgrade) names: its {@code client_id} query parameter,
     * else its {@code X-Client-Id} header; null when neither (at most 255 characters are kept).
     */
    public static String clientId(io.vertx.core.http.HttpServerRequest request) {
        String id = request.getParam("client_id");
        if (id == null || id.isEmpty()) {
            id = request.getHeader("x-client-id");
        }
        if (id == null || id.isEmpty()) {
            return null;
        }
        return id.length() > 255 ? id.substring(0, 255) : id;
    }

    public static Quotas unlimited(MeterRegistry registry, LongSupplier nowMs) {
        return new Quotas(QuotaSettings.unlimited(), registry, nowMs);
    }

    public QuotaSettings settings() {
        return settings;
    }

    public ClientQuotaManager produce() {
        return produce;
    }

    public ClientQuotaManager fetch() {
        return fetch;
    }

    public ClientQuotaManager request() {
        return request;
    }

    public ConnectionQuotas connections() {
        return connections;
    }

    /** Whether any byte or request quota is configured (idle sensors exist to expire). */
    public boolean anyRate() {
        return produce.enabled() || fetch.enabled() || request.enabled();
    }

    /** Drops sensors idle for longer than {@code sluice.quota.sensor.expiry.ms}. */
    public int expireIdle(long now) {
        int n = 0;
        for (ClientQuotaManager m : List.of(produce, fetch, request)) {
            n += m.expire(now);
        }
        return n;
    }
}
