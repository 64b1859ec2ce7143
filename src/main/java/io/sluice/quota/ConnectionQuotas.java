package io.sluice.quota;

import io.sluice.security.Principal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connection limits of a node, as Kafka's {@code ConnectionQuotas}: open TCP connections per
 * client IP ({@code max.connections.per.ip}) and open WebSockets per principal
 * ({@code max.connections.per.principal}; an HTTP connection carries requests of any principal, a
 * WebSocket belongs to the one that opened it). A slot is taken when a connection opens and given
 * back when it closes; past the limit it is not taken and the caller refuses the connection.
 * Thread-safe: shared by every event loop of the node.
 */
public final class ConnectionQuotas {
    private final int perIp;
    private final int perPrincipal;
    private final Map<String, AtomicInteger> ips = new ConcurrentHashMap<>();
    private final Map<Principal, AtomicInteger> principals = new ConcurrentHashMap<>();

    public ConnectionQuotas(int perIp, int perPrincipal) {
        this.perIp = perIp;
        this.perPrincipal = perPrincipal;
    }

    public boolean limitsIps() {
        return perIp < Integer.MAX_VALUE;
    }

    public boolean limitsPrincipals() {
        return perPrincipal < Integer.MAX_VALUE;
    }

    /** Takes a slot of {@code ip}; false, taking nothing, when it has {@code max.connections.per.ip} already. */
    public boolean openIp(String ip) {
        return open(ips, ip, perIp);
    }

    public void closeIp(String ip) {
        close(ips, ip);
    }

    public boolean openPrincipal(Principal principal) {
        return open(principals, principal, perPrincipal);
    }

    public void closePrincipal(Principal principal) {
        close(principals, principal);
    }

    /** Open connections of {@code ip} now. */
    public int connections(String ip) {
        AtomicInteger n = ips.get(ip);
        return n == null ? 0 : n.get();
    }

    private static <K> boolean open(Map<K, AtomicInteger> counts, K key, int max) {
        boolean[] taken = {false};
        counts.compute(key, (k, n) -> {
            AtomicInteger c = n == null ? new AtomicInteger() : n;
            if (c.get() < max) {
                c.incrementAndGet();
                taken[0] = true;
            }
            return c.get() == 0 ? null : c;
        });
        return taken[0];
    }

    private static <K> void close(Map<K, AtomicInteger> counts, K key) {
        // (An entry at zero goes, so that the map holds only keys with open connections.)
        counts.computeIfPresent(key, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }
}
