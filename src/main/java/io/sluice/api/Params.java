package io.sluice.api;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.vertx.ext.web.RoutingContext;

/** Typed reading of path and query parameters, with a 400 naming the parameter when one is bad. */
public final class Params {
    private Params() {
    }

    public static long queryLong(RoutingContext ctx, String name, long dflt, long min, long max) {
        return queryLong(ctx.request(), name, dflt, min, max);
    }

    public static long queryLong(io.vertx.core.http.HttpServerRequest request, String name, long dflt, long min, long max) {
        String v = query(request, name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        return parseLong(name, v, min, max, ErrorCode.BAD_REQUEST);
    }

    /**
     * The first value of query parameter {@code name} as {@link io.vertx.core.http.HttpServerRequest#getParam}
     * gives it (names match in any case; a name without {@code =} has the empty value), without
     * decoding the whole query into a map: the produce path reads two parameters per request. A
     * query with anything to decode or split otherwise (a percent escape, {@code +}, {@code ;})
     * is left to Vert.x's decoder.
     */
    public static String query(io.vertx.core.http.HttpServerRequest request, String name) {
        String q = request.query();
        if (q == null) {
            return null;
        }
        for (int i = 0; i < q.length(); i++) {
            char c = q.charAt(i);
            if (c == '%' || c == '+' || c == ';') {
                return request.getParam(name);
            }
        }
        int at = 0;
        while (at < q.length()) {
            int amp = q.indexOf('&', at);
            if (amp < 0) {
                amp = q.length();
            }
            int eq = q.indexOf('=', at);
            int nameEnd = eq >= 0 && eq < amp ? eq : amp;
            if (nameEnd - at == name.length() && q.regionMatches(true, at, name, 0, name.length())) {
                return nameEnd == amp ? "" : q.substring(eq + 1, amp);
            }
            at = amp + 1;
        }
        return null;
    }

    public static int queryInt(RoutingContext ctx, String name, int dflt, int min, int max) {
        return (int) queryLong(ctx, name, dflt, min, max);
    }

    public static int partition(RoutingContext ctx) {
        return (int) parseLong("partition", ctx.pathParam("partition"), 0, Integer.MAX_VALUE, ErrorCode.UNKNOWN_PARTITION);
    }

    public static long parseLong(String name, String v, long min, long max, ErrorCode code) {
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new SluiceException(code, "'" + name + "' must be an integer, got '" + v + "'");
        }
        if (n < min || n > max) {
            throw new SluiceException(code, "'" + name + "' must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }
}
