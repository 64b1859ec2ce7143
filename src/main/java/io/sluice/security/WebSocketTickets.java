package io.sluice.security;

import io.sluice.common.Clock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * Single-use, short-lived WebSocket tickets for browsers, which cannot set an {@code Authorization}
 * header on an upgrade: {@link #issue} gives an authenticated principal an opaque random ticket
 * (256 bits, base64url), {@link #redeem} trades it once for that principal on an upgrade.
 *
 * <p>Kept cluster-wide, in Vert.x's cluster-wide async map (a Hazelcast map with a TTL): a ticket
 * issued by one node works on any other, as a load balancer may send the upgrade anywhere. This
 * is not majority-critical state: a ticket lost with a node only means asking for another. The
 * map is keyed by the SHA-256 of the ticket, never the ticket itself, so that what the cluster
 * stores is no credential. Redeeming removes the entry (Hazelcast's atomic remove: of two
 * concurrent upgrades with one ticket, one gets the principal), whether the upgrade then succeeds
 * or not. Expiry is checked against the node's {@link Clock}; the map's TTL only sweeps.
 */
public final class WebSocketTickets {
    /** The upgrade paths a ticket may authenticate; no other route accepts one. */
    public static final List<String> UPGRADE_PATHS = List.of("/ws/consume", "/ws/produce");
    private static final String MAP = "sluice.ws.tickets";
    private static final int TICKET_BYTES = 32;

    /** A ticket just issued, and how long it stays valid. */
    public record Issued(String ticket, long expiresInMs) {
        @Override
        public String toString() {
            return "Issued[expiresInMs=" + expiresInMs + "]";
        }
    }

    private final Vertx vertx;
    private final Clock clock;
    private final long ttlMs;
    private final SecureRandom random = new SecureRandom();
    private Future<AsyncMap<String, JsonObject>> map;

    public WebSocketTickets(Vertx vertx, Clock clock, long ttlMs) {
        this.vertx = vertx;
        this.clock = clock;
        this.ttlMs = ttlMs;
    }

    /**
     * A new ticket for {@code principal}, valid for {@code security.ws.ticket.ttl.ms}, for an
     * upgrade of {@code path} (one of {@link #UPGRADE_PATHS}) or of any of them when null.
     */
    public Future<Issued> issue(Principal principal, String path) {
        if (path != null && !UPGRADE_PATHS.contains(path)) {
            throw new IllegalArgumentException("path must be one of " + UPGRADE_PATHS);
        }
        byte[] raw = new byte[TICKET_BYTES];
        random.nextBytes(raw);
        String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        JsonObject entry = new JsonObject().put("principal", principal.toString())
                .put("expires_at", clock.wallMillis() + ttlMs);
        if (path != null) {
            entry.put("path", path);
        }
        return map().compose(m -> m.put(key(ticket), entry, ttlMs)).map(v -> new Issued(ticket, ttlMs));
    }

    /**
     * Consumes {@code ticket} for an upgrade of {@code path}: the principal it was issued to; null
     * when it is unknown, already used, expired, or bound to another path. Consumed in any case.
     */
    public Future<Principal> redeem(String ticket, String path) {
        return map().compose(m -> m.remove(key(ticket))).map(entry -> {
            if (entry == null || clock.wallMillis() > entry.getLong("expires_at", 0L)) {
                return null;
            }
            String bound = entry.getString("path");
            if (bound != null && !bound.equals(path)) {
                return null;
            }
            return Principal.parse(entry.getString("principal"));
        });
    }

    private synchronized Future<AsyncMap<String, JsonObject>> map() {
        if (map == null || map.failed()) {
            map = vertx.sharedData().getAsyncMap(MAP);
        }
        return map;
    }

    private static String key(String ticket) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(ticket.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
