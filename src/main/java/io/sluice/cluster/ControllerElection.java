package io.sluice.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.function.Supplier;

/**
 * Runs the controller on this node exactly while it is the oldest member of the Hazelcast
 * cluster: starts one when this node becomes the oldest (at start, or when an older member
 * leaves), stops it if the node finds itself younger (after rejoining from a split). Membership
 * events are handled one at a time on a context of their own.
 */
public final class ControllerElection {
    private static final System.Logger LOG = System.getLogger(ControllerElection.class.getName());

    private final Vertx vertx;
    private final ClusterMembership membership;
    private final Supplier<ControllerVerticle> controllers;
    private final io.vertx.core.Context context;
    private Future<?> queue = Future.succeededFuture();
    private String deployment;

    public ControllerElection(Vertx vertx, ClusterMembership membership, Supplier<ControllerVerticle> controllers) {
        this.vertx = vertx;
        this.membership = membership;
        this.controllers = controllers;
        this.context = vertx.getOrCreateContext();
    }

    /** Evaluates now and on every membership change; completes once the first evaluation is done. */
    public Future<?> start() {
        membership.onChange(() -> context.runOnContext(v -> evaluate()));
        io.vertx.core.Promise<Object> first = io.vertx.core.Promise.promise();
        context.runOnContext(v -> evaluate().onComplete(ar -> first.complete()));
        return first.future();
    }

    private Future<?> evaluate() {
        queue = queue.eventually(() -> {
            boolean oldest = membership.isController();
            if (oldest && deployment == null) {
                LOG.log(System.Logger.Level.INFO, "node " + membership.nodeId() + " is now the controller");
                return vertx.deployVerticle(controllers.get()).<Void>map(id -> {
                    deployment = id;
                    return null;
                }).onFailure(e -> LOG.log(System.Logger.Level.ERROR, "controller failed to start", e));
            }
            if (!oldest && deployment != null) {
                String id = deployment;
                deployment = null;
                LOG.log(System.Logger.Level.INFO, "node " + membership.nodeId() + " is no longer the controller");
                return vertx.undeploy(id);
            }
            return Future.<Void>succeededFuture();
        });
        return queue;
    }

    /** Stops the controller if it runs here. */
    public Future<?> stop() {
        return queue.eventually(() -> deployment == null ? Future.succeededFuture() : vertx.undeploy(deployment));
    }
}
