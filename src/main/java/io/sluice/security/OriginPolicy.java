package io.sluice.security;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * Which {@code Origin}s may open a WebSocket on this node ({@code security.ws.allowed.origins}), the
 * defence against cross-site WebSocket hijacking: a page on another site opening a socket that the
 * browser authenticates on its own (client certificates, a proxy's cookies). Browsers send
 * {@code Origin} on every WebSocket upgrade; a request without one is not from a browser page and
 * is let through (command-line and server clients, which authenticate explicitly).
 *
 * <p>Unset, only the node's own origin: an {@code Origin} whose host (and port, when it names one)
 * is the request's {@code Host} header, compared as written, so that a node behind a
 * TLS-terminating proxy still recognises its public origin (the console it serves is such a page).
 * A list allows its origins besides ({@code https://app.example.com}, case-insensitive, the port as
 * the browser sends it: only when not the scheme's default); {@code *} allows any. The opaque origin {@code null} (sandboxed frames,
 * {@code file:} pages) is never same-origin. Enforced while security is on, or whenever the list is
 * set: with security off and no list, anyone may connect anyway.
 */
public final class OriginPolicy {
    private final boolean enforced;
    private final boolean any;
    private final List<String> allowed;

    public OriginPolicy(boolean securityEnabled, List<String> allowedOrigins) {
        this.enforced = securityEnabled || !allowedOrigins.isEmpty();
        this.any = allowedOrigins.contains("*");
        this.allowed = allowedOrigins.stream().map(o -> stripSlash(o.toLowerCase(Locale.ROOT))).toList();
    }

    public boolean enforced() {
        return enforced;
    }

    /** Whether an upgrade with {@code origin} (null: none) and {@code host} (the Host header) may go on. */
    public boolean allows(String origin, String host) {
        if (!enforced || origin == null || any) {
            return true;
        }
        String o = stripSlash(origin.trim().toLowerCase(Locale.ROOT));
        if (allowed.contains(o)) {
            return true;
        }
        if (host == null || "null".equals(o)) {
            return false;
        }
        try {
            URI uri = new URI(o);
            String scheme = uri.getScheme();
            if (uri.getRawAuthority() == null || !("http".equals(scheme) || "https".equals(scheme))) {
                return false;
            }
            return uri.getRawAuthority().equals(host.trim().toLowerCase(Locale.ROOT));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String stripSlash(String origin) {
        return origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin;
    }
}
