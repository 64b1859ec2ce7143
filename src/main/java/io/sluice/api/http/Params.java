package io.sluice.api.http;

import io.sluice.bus.ErrorCode;
import io.sluice.bus.SluiceException;
import io.vertx.ext.web.RoutingContext;

/** Typed reading of path and query parameters, with a 400 naming the parameter when one is bad. */
final class Params {
    private Params() {
    }

    static long queryLong(RoutingContext ctx, String name, long dflt, long min, long max) {
        return queryLong(ctx.request(), name, dflt, min, max);
    }

    static long queryLong(io.vertx.core.http.HttpServerRequest request, String name, long dflt, long min, long max) {
        String v = request.getParam(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        return parseLong(name, v, min, max, ErrorCode.BAD_REQUEST);
    }

    static int queryInt(RoutingContext ctx, String name, int dflt, int min, int max) {
        return (int) queryLong(ctx, name, dflt, min, max);
    }

    static int partition(RoutingContext ctx) {
        return (int) parseLong("partition", ctx.pathParam("partition"), 0, Integer.MAX_VALUE, ErrorCode.UNKNOWN_PARTITION);
    }

    static long parseLong(String name, String v, long min, long max, ErrorCode code) {
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
