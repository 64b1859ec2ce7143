package io.sluice.api.http;

import io.sluice.api.Api;
import io.sluice.api.ws.WebSocketRoutes;
import io.sluice.metrics.HttpServerMetrics;
import io.sluice.metrics.HttpServerMetrics.RouteTimers;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;

/**
 * Every route of the public interface ({@code API.md}), with one failure handler for all, behind
 * the {@link ProduceDispatch} that takes the produce hot path ahead of routing.
 */
public final class ApiRouter {
    private ApiRouter() {
    }

    public static Handler<HttpServerRequest> create(Vertx vertx, Api api) {
        Router router = Router.router(vertx);
        boolean cors = CorsPolicy.mount(router, api.broker());
        router.route().handler(QueryCheck::handle);
        ProduceHandler produce = new ProduceHandler(api);
        FetchHandler fetch = new FetchHandler(api);
        TopicsHandler topics = new TopicsHandler(api);
        ClusterHandler cluster = new ClusterHandler(api);
        WebSocketRoutes sockets = new WebSocketRoutes(api);
        GroupsHandler groups = new GroupsHandler(api);
        JsonBody adminBody = JsonBody.create(1 << 20);
        TimedRoutes routes = new TimedRoutes(router, api.metrics().http());

        RouteTimers produceTimers = api.metrics().http().timing(HttpMethod.POST, "/topics/:topic/records");
        router.post("/topics/:topic/records").handler(produceTimers).handler(produce::handle);
        routes.get("/topics/:topic/partitions/:partition/records").handler(fetch::records);
        routes.get("/topics/:topic/partitions/:partition/offsets").handler(fetch::offsets);
        routes.post("/topics/:topic/partitions").handler(adminBody).handler(topics::addPartitions);
        routes.patch("/topics/:topic/configs").handler(adminBody).handler(topics::alterConfigs);
        routes.post("/topics/:topic").handler(produce::handle);
        routes.get("/topics/:topic").handler(topics::get);
        routes.delete("/topics/:topic").handler(topics::delete);
        routes.post("/topics").handler(adminBody).handler(topics::create);
        routes.get("/topics").handler(topics::list);

        routes.get("/groups").handler(groups::list);
        routes.get("/groups/:group").handler(groups::describe);
        routes.delete("/groups/:group").handler(groups::delete);
        routes.get("/groups/:group/offsets").handler(groups::offsets);
        routes.post("/groups/:group/offsets").handler(adminBody).handler(groups::commit);
        routes.post("/groups/:group/offsets/reset").handler(adminBody).handler(groups::reset);

        // Upgrades are not timed: a socket is counted while it is open (HttpServerMetrics).
        router.get("/ws/consume").handler(sockets::consume);
        router.get("/ws/produce").handler(sockets::produce);

        routes.get("/cluster").handler(cluster::cluster);
        routes.post("/cluster/rebalance").handler(cluster::rebalance);
        routes.post("/cluster/voters").handler(adminBody).handler(cluster::setVoters);
        routes.get("/replicas").handler(cluster::replicas);
        routes.get("/health").handler(cluster::health);
        routes.get("/ready").handler(cluster::ready);
        routes.get("/metrics").handler(cluster::metrics);

        ErrorResponder.install(router);
        return new ProduceDispatch(router, produce, produceTimers, cors);
    }

    /** Adds routes that time their requests first ({@link HttpServerMetrics#timing}). */
    private record TimedRoutes(Router router, HttpServerMetrics metrics) {
        Route get(String path) {
            return router.get(path).handler(metrics.timing(HttpMethod.GET, path));
        }

        Route post(String path) {
            return router.post(path).handler(metrics.timing(HttpMethod.POST, path));
        }

        Route patch(String path) {
            return router.patch(path).handler(metrics.timing(HttpMethod.PATCH, path));
        }

        Route delete(String path) {
            return router.delete(path).handler(metrics.timing(HttpMethod.DELETE, path));
        }
    }
}
