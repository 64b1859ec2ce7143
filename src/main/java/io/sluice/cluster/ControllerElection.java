package io.sluice.cluster;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.function.Supplier;

/**
 * Runs the controller on this voter exactly while it leads the controller quorum: starts one when
 * the quorum's leadership here is ready (every earlier entry of the metadata log applied), stops
 * it as soon as another voter leads or an election starts. Events arrive on Ratis's threads and
 * are handled one at a time, in order, on a context of their own.
 */
public final class ControllerElection {
    private static final System.Logger LOG = System.getLogger(ControllerElection.class.getName());

    private final Vertx vertx;
    private final String nodeId;
    private final Supplier<ControllerVerticle> controllers;
    private final Context context;
    private Future<?> queue = Future.succeededFuture();
    private String deployment;
    private boolean stopped;

    public ControllerElection(Vertx vertx, String nodeId, Supplier<ControllerVerticle> controllers) {
        this.vertx = vertx;
        this.nodeId = nodeId;
        this.controllers = controllers;
        this.context = vertx.getOrCreateContext();
    }

    /** This voter leads the quorum and has applied its log: it becomes the controller. Any thread. */
    public void leaderReady() {
        context.runOnContext(v -> queue = queue.eventually(() -> {
            if (stopped || deployment != null) {
                return Future.succeededFuture();
            }
            LOG.log(System.Logger.Level.INFO, "node " + nodeId + " leads the controller quorum: it is now the controller");
            return vertx.deployVerticle(controllers.get()).<Void>map(id -> {
                deployment = id;
                return null;
            }).onFailure(e -> LOG.log(System.Logger.Level.ERROR, "controller failed to start", e));
        }));
    }

    /** The quorum's leader is now {@code leader} (null: none). Any thread. */
    public void leaderChanged(String leader) {
        if (nodeId.equals(leader)) {
            return; // (it acts once ready)
        }
        context.runOnContext(v -> queue = queue.eventually(this::undeploy));
    }

    private Future<?> undeploy() {
        if (deployment == null) {
            return Future.succeededFuture();
        }
        String id = deployment;
        deployment = null;
        LOG.log(System.Logger.Level.INFO, "node " + nodeId + " is no longer the controller");
        return vertx.undeploy(id);
    }

    /** Stops the controller if it runs here, and starts none again. */
    public Future<?> stop() {
        io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
        context.runOnContext(v -> {
            stopped = true;
            queue = queue.eventually(this::undeploy);
            queue.onComplete(ar -> done.complete());
        });
        return done.future();
    }
}
