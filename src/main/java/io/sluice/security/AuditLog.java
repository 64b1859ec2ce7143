package io.sluice.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The audit log: failed authentications and authorization denials, one line each on the
 * {@value #LOGGER} logger (java.util.logging, as the rest of the node), so that operators can route
 * it to a file of its own. A line says who (the principal, or the user name a failed request
 * presented: never a password or token), what (the operation and resource, or the route) and from
 * where (the client's IP).
 *
 * <p>Rate-limited per kind: at most {@code security.audit.max.lines.per.second} lines a second;
 * beyond them lines are counted, and the first line of a later second is preceded by
 * {@code "N more <kind> suppressed"}, so that a flood of wrong passwords cannot flood the disk.
 */
public final class AuditLog {
    public static final String LOGGER = "io.sluice.audit";
    public static final AuditLog DISABLED = new AuditLog(false, 1, System::currentTimeMillis);
    private static final int MAX_NAME = 64;

    enum Kind {
        AUTHENTICATION_FAILED("authentication failed"), AUTHORIZATION_DENIED("authorization denied");

        final String text;

        Kind(String text) {
            this.text = text;
        }
    }

    /** One kind's lines in the current second. */
    private static final class Window {
        boolean started;
        long start;
        int logged;
        long suppressed;
    }

    private final Logger log = Logger.getLogger(LOGGER);
    private final boolean enabled;
    private final int maxPerSecond;
    private final LongSupplier nowMs;
    private final Map<Kind, Window> windows = new EnumMap<>(Kind.class);

    public AuditLog(boolean enabled, int maxPerSecond, LongSupplier nowMs) {
        this.enabled = enabled;
        this.maxPerSecond = maxPerSecond;
        this.nowMs = nowMs;
        for (Kind k : Kind.values()) {
            windows.put(k, new Window());
        }
    }

    /**
     * A request that presented {@code authorization} (the header, which is never logged: only the
     * user name it carries) failed authentication.
     */
    public void authenticationFailed(String authorization, String host, String method, String path) {
        if (enabled) {
            log(Kind.AUTHENTICATION_FAILED, () -> "authentication failed: user=" + presentedUser(authorization) + " host=" + host
                    + " route=" + clean(method) + " " + clean(path));
        }
    }

    /** {@code session} was refused {@code operation} on the resource. */
    public void denied(Session session, AclOperation operation, ResourceType type, String name) {
        if (enabled) {
            log(Kind.AUTHORIZATION_DENIED, () -> "authorization denied: principal=" + clean(session.principal().toString())
                    + " operation=" + operation + " resource=" + type + ":" + clean(name) + " host=" + session.host());
        }
    }

    private void log(Kind kind, java.util.function.Supplier<String> line) {
        Window w = windows.get(kind);
        String summary = null;
        boolean emit;
        synchronized (w) {
            long now = nowMs.getAsLong();
            if (!w.started || now - w.start >= 1000) {
                w.started = true;
                if (w.suppressed > 0) {
                    summary = w.suppressed + " more " + kind.text + " lines suppressed";
                }
                w.start = now;
                w.logged = 0;
                w.suppressed = 0;
            }
            emit = w.logged < maxPerSecond;
            if (emit) {
                w.logged++;
            } else {
                w.suppressed++;
            }
        }
        if (summary != null) {
            log.log(Level.INFO, summary);
        }
        if (emit) {
            log.log(Level.INFO, line.get());
        }
    }

    /**
     * The user name an {@code Authorization} header presents, never its secret: the name of a Basic
     * credential, {@code (bearer)} for a token, {@code (none)} without a header.
     */
    static String presentedUser(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return "(none)";
        }
        String h = authorization.trim();
        int space = h.indexOf(' ');
        String scheme = space < 0 ? h : h.substring(0, space);
        if (!scheme.equalsIgnoreCase("basic")) {
            return "(" + clean(scheme.length() > 16 ? scheme.substring(0, 16) : scheme).toLowerCase() + ")";
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(h.substring(space + 1).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? "(malformed basic)" : clean(decoded.substring(0, colon));
        } catch (IllegalArgumentException e) {
            return "(malformed basic)";
        }
    }

    /** What a client sent, fit for one log line: bounded, without control characters. */
    static String clean(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_NAME));
        for (int i = 0; i < s.length() && b.length() < MAX_NAME; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) || c == ' ' ? '_' : c);
        }
        return s.length() > MAX_NAME ? b + "..." : b.toString();
    }
}
