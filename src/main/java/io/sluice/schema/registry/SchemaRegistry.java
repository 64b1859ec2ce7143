package io.sluice.schema.registry;

import io.sluice.bus.ControllerCommand;
import io.sluice.bus.NodeDoor;
import io.sluice.bus.OffsetsRequest;
import io.sluice.bus.OffsetsResponse;
import io.sluice.bus.RegistryCommand;
import io.sluice.bus.RegistryReply;
import io.sluice.cluster.ControllerClient;
import io.sluice.cluster.MetadataCache;
import io.sluice.cluster.PartitionAssignment;
import io.sluice.cluster.TopicMetadata;
import io.sluice.common.Clock;
import io.sluice.common.ErrorCode;
import io.sluice.common.Failures;
import io.sluice.common.RetryLoop;
import io.sluice.common.SluiceException;
import io.sluice.partition.PartitionClient;
import io.sluice.schema.ParsedSchema;
import io.sluice.schema.SchemaProviders;
import io.sluice.schema.SchemaReference;
import io.sluice.schema.SchemaType;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

import java.util.EnumSet;
import java.util.List;

/**
 * The schema registry as this node's other parts use it (the REST API, and validation on produce):
 * writes go to the node leading {@code _schemas}-0 ({@link SchemaRegistryVerticle}), retried while
 * that leader moves or is being elected; reads are answered from this node's copy once it has caught
 * up with the leader's high watermark, so that a client that registered through another node reads
 * its registration here at once ({@link #fresh}). The high-watermark question is one cheap request,
 * shared by every read that arrives while one is on its way (they join the next one, which is sent
 * after they arrived, so none is answered by a question asked before its own write was acknowledged).
 *
 * <p>{@link #schemaById} and {@link #isRegisteredUnder} serve validation on the hot path from the
 * copy and its cache of parsed schemas, catching up only for an id the copy does not know yet.
 */
public final class SchemaRegistry {
    private static final System.Logger LOG = System.getLogger(SchemaRegistry.class.getName());
    private static final long BACKOFF_MS = 50;
    /** A leader that is not there has moved (or not loaded yet): the client looks it up again. */
    private static final Failures.Peer LEADER = new Failures.Peer(ErrorCode.NOT_LEADER,
            "the schema registry leader is not reachable", "the schema registry leader did not answer");

    private final Vertx vertx;
    private final String nodeId;
    private final MetadataCache metadata;
    private final PartitionClient partitions;
    private final ControllerClient controller;
    private final RegistryState state;
    private final SchemaRegistryVerticle local;
    private final RetryLoop retries;
    private final long leaderWaitMs;
    private final long requestTimeoutMs;
    /** Whether a high-watermark question is on its way, and the readers waiting for the next one. */
    private boolean asking;
    private Promise<Long> queued;

    public SchemaRegistry(Vertx vertx, String nodeId, MetadataCache metadata, PartitionClient partitions,
                          ControllerClient controller, RegistryState state, SchemaRegistryVerticle local,
                          long leaderWaitMs, long requestTimeoutMs, Clock clock) {
        this.vertx = vertx;
        this.nodeId = nodeId;
        this.metadata = metadata;
        this.partitions = partitions;
        this.controller = controller;
        this.state = state;
        this.local = local;
        this.leaderWaitMs = leaderWaitMs;
        this.requestTimeoutMs = requestTimeoutMs;
        this.retries = RetryLoop.on(vertx, clock, BACKOFF_MS, EnumSet.of(ErrorCode.NOT_LEADER, ErrorCode.UNAVAILABLE));
    }

    public SchemaProviders providers() {
        return state.providers();
    }

    /** This node's copy as it is now, without catching up (what {@link #fresh} completes with). */
    public RegistryState current() {
        return state;
    }

    // ---- the lookup side (validation) ----

    /** The parsed schema of {@code id}; fails with {@link RegistryError#SCHEMA_NOT_FOUND} when no such id is registered. */
    public Future<ParsedSchema> schemaById(int id) {
        try {
            ParsedSchema p = state.parsedById(id);
            if (p != null) {
                return Future.succeededFuture(p);
            }
            return fresh().map(s -> {
                ParsedSchema found = s.parsedById(id);
                if (found == null) {
                    throw RegistryError.SCHEMA_NOT_FOUND.exception("Schema " + id + " not found");
                }
                return found;
            });
        } catch (RegistryException e) {
            return Future.failedFuture(e);
        }
    }

    /** Whether a live version of {@code subject} holds schema {@code id}, in this node's copy as it is. */
    public boolean isRegisteredUnder(String subject, int id) {
        return state.versionWithId(subject, id, false) != null;
    }

    /**
     * Registers {@code schema} under {@code subject} (as {@code POST /subjects/{s}/versions} does) and
     * completes with its id: for typed JSON produce, which registers a {@code value_schema} on the way.
     */
    public Future<Integer> register(String subject, SchemaType type, String schema, List<SchemaReference> references) {
        return write(new RegistryCommand.Register(subject, type.name(), schema, references, RegistryCommand.NONE,
                RegistryCommand.NONE, false)).map(json -> new JsonObject(json).getInteger("id"));
    }

    /** The latest live version of {@code subject}, once caught up; fails with 40401 when it has none. */
    public Future<SchemasTopic.SchemaValue> latest(String subject) {
        return fresh().map(s -> {
            SchemasTopic.SchemaValue v = s.versionOrNull(subject, -1, false);
            if (v == null) {
                throw RegistryError.SUBJECT_NOT_FOUND.exception("Subject '" + subject + "' not found.");
            }
            return v;
        });
    }

    // ---- reads ----

    /**
     * This node's copy once it holds everything the leader had committed when this was called;
     * when the leader cannot be asked, the copy as it is.
     */
    public Future<RegistryState> fresh() {
        if (metadata.current().topic(SchemasTopic.NAME) == null) {
            return Future.succeededFuture(state);
        }
        Promise<RegistryState> answer = ((ContextInternal) vertx.getOrCreateContext()).promise();
        leaderHighWatermark()
                .compose(hw -> local.caughtUpTo(hw, requestTimeoutMs))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        LOG.log(System.Logger.Level.DEBUG, "answering from the registry copy as it is: " + ar.cause().getMessage());
                    }
                    answer.complete(state);
                });
        return answer.future();
    }

    private Future<Long> leaderHighWatermark() {
        synchronized (this) {
            if (asking) {
                if (queued == null) {
                    queued = Promise.promise();
                }
                return queued.future();
            }
            asking = true;
        }
        return ask();
    }

    private Future<Long> ask() {
        Future<Long> hw = partitions.offsets(new OffsetsRequest(SchemasTail.PARTITION, OffsetsRequest.NO_TIMESTAMP))
                .map(OffsetsResponse::highWatermark);
        hw.onComplete(ar -> askNext());
        return hw;
    }

    private void askNext() {
        Promise<Long> next;
        synchronized (this) {
            next = queued;
            queued = null;
            if (next == null) {
                asking = false;
                return;
            }
        }
        ask().onComplete(next);
    }

    // ---- writes ----

    /**
     * Sends {@code command} to the registry's leader; completes with the API's answer (JSON text),
     * or fails with a {@link RegistryException}: the leader's refusal, or 50003 when no leader could
     * be reached in time, 50002 when it did not answer, 50001 when it could not store.
     */
    public Future<String> write(RegistryCommand command) {
        Promise<String> answer = ((ContextInternal) vertx.getOrCreateContext()).promise();
        ensureTopic()
                .compose(v -> retries.run(leaderWaitMs, deadline -> attempt(command)))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        answer.fail(asRegistryError(ar.cause()));
                    } else if (ar.result().errorCode() != 0) {
                        answer.fail(new RegistryException(RegistryError.fromCode(ar.result().errorCode()), ar.result().message()));
                    } else {
                        answer.complete(ar.result().json());
                    }
                });
        return answer.future();
    }

    private Future<Void> ensureTopic() {
        if (metadata.current().topic(SchemasTopic.NAME) != null) {
            return Future.succeededFuture();
        }
        return controller.execute(new ControllerCommand.EnsureSchemasTopic()).mapEmpty();
    }

    private Future<RegistryReply> attempt(RegistryCommand command) {
        TopicMetadata topic = metadata.current().topic(SchemasTopic.NAME);
        PartitionAssignment pa = topic == null ? null : topic.partition(0);
        if (pa == null || pa.leader() == null) {
            return Future.failedFuture(new SluiceException(ErrorCode.UNAVAILABLE, SchemasTail.PARTITION + " has no leader"));
        }
        String leader = pa.leader();
        return vertx.eventBus().<RegistryReply>request(SchemaRegistryVerticle.address(leader), command,
                        NodeDoor.deliveryTo(leader, nodeId, requestTimeoutMs))
                .transform(ar -> ar.succeeded() ? Future.succeededFuture(ar.result().body())
                        : Future.failedFuture(Failures.toSluice(ar.cause(), LEADER)));
    }

    private static RegistryException asRegistryError(Throwable failure) {
        if (failure instanceof RegistryException re) {
            return re;
        }
        SluiceException e = Failures.toSluice(failure);
        return switch (e.code()) {
            case REQUEST_TIMED_OUT -> RegistryError.OPERATION_TIMEOUT.exception("Register operation timed out: " + e.getMessage());
            case NOT_LEADER, UNAVAILABLE, NOT_COORDINATOR, NOT_ENOUGH_REPLICAS ->
                    RegistryError.REQUEST_FORWARDING_FAILED.exception("Error while forwarding the request to the leader: " + e.getMessage());
            default -> RegistryError.STORE_ERROR.exception("Error in the backend data store: " + e.getMessage());
        };
    }
}
