package io.sluice.api.http;

import io.sluice.api.Api;
import io.sluice.api.ws.WebSocketRoutes;
import io.sluice.metrics.HttpServerMetrics;
import io.sluice.metrics.HttpServerMetrics.RouteTimers;
import io.sluice.security.AclOperation;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Every route of the public interface ({@code API.md}), with one failure handler for all, behind
 * the {@link ProduceDispatch} that takes the produce hot path ahead of routing. Every request is
 * authenticated first ({@link HttpAuthentication}); the operation each route needs is in this one
 * table ({@link RouteAuthorization}), except where the handler filters what it answers (listings)
 * or learns the resource from the body (creating a topic, committing offsets, produce).
 */
public final class ApiRouter {
    private ApiRouter() {
    }

    public static Handler<HttpServerRequest> create(Vertx vertx, Api api) {
        Router router = Router.router(vertx);
        boolean cors = CorsPolicy.mount(router, api.broker());
        router.route().handler(QueryCheck::handle);
        HttpQuotas quotas = new HttpQuotas(api);
        ProduceHandler produce = new ProduceHandler(api, quotas);
        FetchHandler fetch = new FetchHandler(api, quotas);
        TopicsHandler topics = new TopicsHandler(api);
        ClusterHandler cluster = new ClusterHandler(api);
        WebSocketRoutes sockets = new WebSocketRoutes(api);
        GroupsHandler groups = new GroupsHandler(api);
        JsonBody adminBody = JsonBody.create(1 << 20);
        SecurityHandler security = new SecurityHandler(api);
        HttpAuthentication authentication = new HttpAuthentication(api.security());
        RouteAuthorization authz = new RouteAuthorization(api.security().access());
        TimedRoutes routes = new TimedRoutes(router, api.metrics().http(), authz);
        WebSocketGuards guards = new WebSocketGuards(api);

        if (guards.originsEnforced()) {
            // (Ahead of authentication: a foreign page's upgrade is refused before its credentials count.)
            router.route().handler(guards::checkOrigin);
        }
        if (api.security().enabled()) {
            router.route().handler(authentication);
        }
        if (quotas.limitsRequests()) {
            router.route().handler(quotas.requestRate());
        }
        RouteTimers produceTimers = api.metrics().http().timing(HttpMethod.POST, "/topics/:topic/records");
        // (Produce authorizes in ProduceHandler: ProduceDispatch reaches it without the router.)
        router.post("/topics/:topic/records").handler(produceTimers).handler(produce::handle);
        routes.get("/topics/:topic/partitions/:partition/records", authz.topic(AclOperation.READ)).handler(fetch::records);
        routes.get("/topics/:topic/partitions/:partition/offsets", authz.topic(AclOperation.DESCRIBE)).handler(fetch::offsets);
        routes.post("/topics/:topic/partitions", adminBody, authz.topic(AclOperation.ALTER)).handler(topics::addPartitions);
        routes.patch("/topics/:topic/configs", adminBody, authz.topic(AclOperation.ALTER_CONFIGS))
                .handler(topics::alterConfigs);
        routes.post("/topics/:topic", null).handler(produce::handle);
        routes.get("/topics/:topic", authz.topic(AclOperation.DESCRIBE)).handler(topics::get);
        routes.delete("/topics/:topic", authz.topic(AclOperation.DELETE)).handler(topics::delete);
        routes.post("/topics", adminBody, null).handler(topics::create);
        routes.get("/topics", null).handler(topics::list);

        routes.get("/groups", null).handler(groups::list);
        routes.get("/groups/:group", authz.group(AclOperation.DESCRIBE)).handler(groups::describe);
        routes.delete("/groups/:group", authz.group(AclOperation.DELETE)).handler(groups::delete);
        routes.get("/groups/:group/offsets", authz.group(AclOperation.DESCRIBE)).handler(groups::offsets);
        routes.post("/groups/:group/offsets", adminBody, authz.group(AclOperation.READ)).handler(groups::commit);
        routes.post("/groups/:group/offsets/reset", adminBody, authz.group(AclOperation.READ)).handler(groups::reset);

        // Upgrades are not timed: a socket is counted while it is open (HttpServerMetrics).
        // (They authorize in WebSocketRoutes: what they need depends on the query.)
        router.get("/ws/consume").handler(sockets::consume);
        router.get("/ws/produce").handler(sockets::produce);
        routes.post("/ws/tickets", adminBody, null).handler(guards::issueTicket);

        routes.get("/cluster", authz.cluster(AclOperation.DESCRIBE)).handler(cluster::cluster);
        routes.post("/cluster/rebalance", authz.cluster(AclOperation.ALTER)).handler(cluster::rebalance);
        routes.post("/cluster/voters", adminBody, authz.cluster(AclOperation.ALTER)).handler(cluster::setVoters);
        routes.get("/replicas", authz.cluster(AclOperation.DESCRIBE)).handler(cluster::replicas);
        routes.get("/health", null).handler(cluster::health);
        routes.get("/ready", null).handler(cluster::ready);
        routes.get("/metrics", authz.cluster(AclOperation.DESCRIBE)).handler(cluster::metrics);

        routes.post("/users", adminBody, authz.cluster(AclOperation.ALTER)).handler(security::createUser);
        routes.get("/users", authz.cluster(AclOperation.DESCRIBE)).handler(security::listUsers);
        routes.delete("/users/:user", authz.cluster(AclOperation.ALTER)).handler(security::deleteUser);
        routes.post("/acls", adminBody, authz.cluster(AclOperation.ALTER)).handler(security::createAcl);
        routes.get("/acls", authz.cluster(AclOperation.DESCRIBE)).handler(security::listAcls);
        routes.delete("/acls", adminBody, authz.cluster(AclOperation.ALTER)).handler(security::deleteAcls);

        if (api.registry() != null) {
            RegistryRoutes.mount(router, api.metrics().http(), api.security().access(), api.registry());
        }

        ErrorResponder.install(router);
        return new ProduceDispatch(router, produce, produceTimers, authentication, api.security().enabled(), cors, quotas);
    }

    /**
     * Adds routes that time their requests first ({@link HttpServerMetrics#timing}), then authorize
     * them with the handler given (none: the route's handler authorizes, or nothing is needed),
     * when security is on.
     */
    private record TimedRoutes(Router router, HttpServerMetrics metrics, RouteAuthorization authz) {
        Route get(String path, Handler<RoutingContext> authorize) {
            return authorized(router.get(path).handler(metrics.timing(HttpMethod.GET, path)), authorize);
        }

        Route post(String path, Handler<RoutingContext> authorize) {
            return authorized(router.post(path).handler(metrics.timing(HttpMethod.POST, path)), authorize);
        }

        Route patch(String path, Handler<RoutingContext> authorize) {
            return authorized(router.patch(path).handler(metrics.timing(HttpMethod.PATCH, path)), authorize);
        }

        Route delete(String path, Handler<RoutingContext> authorize) {
            return authorized(router.delete(path).handler(metrics.timing(HttpMethod.DELETE, path)), authorize);
        }

        /** A route whose body {@code body} reads first (Vert.x Web wants it ahead of other handlers). */
        Route post(String path, Handler<RoutingContext> body, Handler<RoutingContext> authorize) {
            return authorized(router.post(path).handler(metrics.timing(HttpMethod.POST, path)).handler(body), authorize);
        }

        Route patch(String path, Handler<RoutingContext> body, Handler<RoutingContext> authorize) {
            return authorized(router.patch(path).handler(metrics.timing(HttpMethod.PATCH, path)).handler(body), authorize);
        }

        Route delete(String path, Handler<RoutingContext> body, Handler<RoutingContext> authorize) {
            return authorized(router.delete(path).handler(metrics.timing(HttpMethod.DELETE, path)).handler(body), authorize);
        }

        private Route authorized(Route route, Handler<RoutingContext> authorize) {
            return authorize != null && authz.enabled() ? route.handler(authorize) : route;
        }
    }
}
