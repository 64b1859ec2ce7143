package io.sluice.api.http;

import io.sluice.api.ws.WebSocketRoutes;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/** Every route of the public interface ({@code API.md}), with one failure handler for all. */
public final class ApiRouter {
    private ApiRouter() {
    }

    public static Router create(Vertx vertx, Api api) {
        Router router = Router.router(vertx);
        ProduceHandler produce = new ProduceHandler(api);
        FetchHandler fetch = new FetchHandler(api);
        TopicsHandler topics = new TopicsHandler(api);
        ClusterHandler cluster = new ClusterHandler(api);
        WebSocketRoutes sockets = new WebSocketRoutes(api);
        GroupsHandler groups = new GroupsHandler(api);
        BodyHandler adminBody = BodyHandler.create(false).setBodyLimit(1 << 20);

        router.post("/topics/:topic/records").handler(produce::handle);
        router.get("/topics/:topic/partitions/:partition/records").handler(fetch::records);
        router.get("/topics/:topic/partitions/:partition/offsets").handler(fetch::offsets);
        router.post("/topics/:topic/partitions").handler(adminBody).handler(topics::addPartitions);
        router.patch("/topics/:topic/configs").handler(adminBody).handler(topics::alterConfigs);
        router.post("/topics/:topic").handler(produce::handle);
        router.get("/topics/:topic").handler(topics::get);
        router.delete("/topics/:topic").handler(topics::delete);
        router.post("/topics").handler(adminBody).handler(topics::create);
        router.get("/topics").handler(topics::list);

        router.get("/groups").handler(groups::list);
        router.get("/groups/:group").handler(groups::describe);
        router.delete("/groups/:group").handler(groups::delete);
        router.get("/groups/:group/offsets").handler(groups::offsets);
        router.post("/groups/:group/offsets").handler(adminBody).handler(groups::commit);
        router.post("/groups/:group/offsets/reset").handler(adminBody).handler(groups::reset);

        router.get("/ws/consume").handler(sockets::consume);
        router.get("/ws/produce").handler(sockets::produce);

        router.get("/cluster").handler(cluster::cluster);
        router.post("/cluster/rebalance").handler(cluster::rebalance);
        router.get("/replicas").handler(cluster::replicas);
        router.get("/health").handler(cluster::health);
        router.get("/ready").handler(cluster::ready);
        router.get("/metrics").handler(cluster::metrics);

        router.route().failureHandler(ErrorResponder::handle);
        router.errorHandler(404, ErrorResponder::handle);
        router.errorHandler(405, ErrorResponder::handle);
        router.errorHandler(413, ErrorResponder::handle);
        return router;
    }
}
