package io.sluice.api.http;

import io.vertx.ext.web.RoutingContext;

/**
 * Refuses (400) a query string with a percent escape that does not decode, on every route: a route
 * that reads no parameter would otherwise answer as if the query were fine, and one that does
 * would refuse it, so the same mistake got different answers.
 */
final class QueryCheck {
    private QueryCheck() {
    }

    static void handle(RoutingContext ctx) {
        String query = ctx.request().query();
        if (query != null && query.indexOf('%') >= 0) {
            // Decodes the whole query once (Vert.x keeps the result for the handlers); an escape
            // that does not decode throws IllegalArgumentException, which is a 400 (ApiErrors).
            ctx.request().params();
        }
        ctx.next();
    }
}
