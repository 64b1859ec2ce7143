package io.sluice.api.http;

import io.sluice.security.AccessControl;
import io.sluice.security.AclOperation;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * The route handlers that authorize a request by its path before its own handler runs: the
 * operation a route needs on the topic or group it names, or on the cluster. A refusal is a 403
 * that names nothing ({@link AccessControl#NOT_AUTHORIZED}), given before the resource is looked
 * up, so that a topic one may not see looks the same whether it exists or not. With security off
 * no such handler is added at all.
 */
final class RouteAuthorization {
    private final AccessControl access;

    RouteAuthorization(AccessControl access) {
        this.access = access;
    }

    boolean enabled() {
        return access.enabled();
    }

    Handler<RoutingContext> topic(AclOperation operation) {
        return ctx -> {
            access.checkTopic(HttpAuthentication.session(ctx), operation, ctx.pathParam("topic"));
            ctx.next();
        };
    }

    Handler<RoutingContext> group(AclOperation operation) {
        return ctx -> {
            access.checkGroup(HttpAuthentication.session(ctx), operation, ctx.pathParam("group"));
            ctx.next();
        };
    }

    Handler<RoutingContext> cluster(AclOperation operation) {
        return ctx -> {
            access.checkCluster(HttpAuthentication.session(ctx), operation);
            ctx.next();
        };
    }
}
