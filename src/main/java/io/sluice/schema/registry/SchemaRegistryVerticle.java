package io.sluice.schema.registry;

import io.sluice.bus.OffsetsRequest;
import io.sluice.bus.OffsetsResponse;
import io.sluice.bus.RegistryCommand;
import io.sluice.bus.RegistryReply;
import io.sluice.cluster.MetadataCache;
import io.sluice.cluster.PartitionAssignment;
import io.sluice.cluster.TopicMetadata;
import io.sluice.common.Clock;
import io.sluice.common.ErrorCode;
import io.sluice.common.Failures;
import io.sluice.partition.PartitionClient;
import io.sluice.produce.ProduceOutcome;
import io.sluice.produce.ProduceService;
import io.sluice.produce.ProducerRecord;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.ContextInternal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * This node's part of the schema registry: its copy of {@code _schemas} ({@link SchemasTail} into
 * {@link RegistryState}), and, while the node leads {@code _schemas}-0, the one place in the cluster
 * where writes are decided. A leader first loads (waits until everything its log holds is
 * committed and applied here), then takes {@link RegistryCommand}s at {@link #address} one at a
 * time: decides each on the copy ({@link RegistryCommands}), appends its records with
 * {@code acks=all} in the leader epoch it loaded in (a deposed leader's appends are fenced), waits
 * until its own copy has applied them, and answers. So ids and versions are assigned in one order,
 * and the next command is decided on a copy that holds the previous one. A node that does not lead
 * (or has not loaded) answers {@code NOT_LEADER}, and the sender asks the leader the metadata names next.
 *
 * <p>All its state is confined to its context.
 */
public final class SchemaRegistryVerticle extends VerticleBase {
    private static final System.Logger LOG = System.getLogger(SchemaRegistryVerticle.class.getName());
    private static final long LOAD_WAIT_MS = 10_000;
    private static final long LOAD_POLL_MS = 20;

    private final String nodeId;
    private final MetadataCache metadata;
    private final PartitionClient partitions;
    private final ProduceService produce;
    private final RegistryState state;
    private final RegistryCommands commands;
    private final Clock clock;
    private final long writeTimeoutMs;
    private SchemasTail tail;
    private MessageConsumer<Object> consumer;
    private final ArrayDeque<Message<Object>> queue = new ArrayDeque<>();
    private boolean busy;
    /** The leader epoch this node has loaded {@code _schemas}-0 in and writes in; -1 while it does not lead. */
    private int loadedEpoch = -1;
    private int loadingEpoch = -1;

    public SchemaRegistryVerticle(String nodeId, MetadataCache metadata, PartitionClient partitions, ProduceService produce,
                                  RegistryState state, long writeTimeoutMs, Clock clock) {
        this.nodeId = nodeId;
        this.metadata = metadata;
        this.partitions = partitions;
        this.produce = produce;
        this.state = state;
        this.commands = new RegistryCommands(state);
        this.writeTimeoutMs = writeTimeoutMs;
        this.clock = clock;
    }

    public static String address(String nodeId) {
        return "sluice.schema.registry." + nodeId;
    }

    @Override
    public Future<?> start() {
        tail = new SchemasTail(vertx, partitions, state);
        metadata.onChange(m -> context.runOnContext(v -> onMetadata()));
        onMetadata();
        consumer = vertx.eventBus().consumer(address(nodeId), this::onMessage);
        return consumer.completion();
    }

    @Override
    public Future<?> stop() {
        tail.stop();
        return consumer.unregister();
    }

    /**
     * Completes on the caller's context once this node's copy has applied every record below
     * {@code offset}, or fails after {@code timeoutMs}.
     */
    public Future<Void> caughtUpTo(long offset, long timeoutMs) {
        Promise<Void> answer = ((ContextInternal) vertx.getOrCreateContext()).promise();
        context.runOnContext(v -> tail.reach(offset).timeout(timeoutMs, TimeUnit.MILLISECONDS).onComplete(answer));
        return answer.future();
    }

    private void onMetadata() {
        TopicMetadata topic = metadata.current().topic(SchemasTopic.NAME);
        if (topic == null) {
            return;
        }
        tail.start();
        PartitionAssignment pa = topic.partition(0);
        if (!nodeId.equals(pa.leader())) {
            loadedEpoch = -1;
            loadingEpoch = -1;
            return;
        }
        if (loadedEpoch != pa.leaderEpoch() && loadingEpoch != pa.leaderEpoch()) {
            loadedEpoch = -1;
            loadingEpoch = pa.leaderEpoch();
            load(pa.leaderEpoch());
        }
    }

    /**
     * Becomes the registry's leader in {@code epoch}: once the log end it holds is committed (a new
     * leader may hold acknowledged records above the high watermark it knows) and applied here.
     */
    private void load(int epoch) {
        long deadline = clock.monotonicMillis() + LOAD_WAIT_MS;
        partitions.offsets(new OffsetsRequest(SchemasTail.PARTITION, OffsetsRequest.NO_TIMESTAMP))
                .compose(o -> committedUpTo(o.logEndOffset(), deadline))
                .compose(hw -> tail.reach(hw).timeout(LOAD_WAIT_MS, TimeUnit.MILLISECONDS))
                .onComplete(ar -> {
                    if (loadingEpoch != epoch) {
                        return;
                    }
                    if (ar.succeeded()) {
                        loadedEpoch = epoch;
                        loadingEpoch = -1;
                        LOG.log(System.Logger.Level.INFO, "node " + nodeId + " leads the schema registry (epoch " + epoch + ")");
                    } else {
                        LOG.log(System.Logger.Level.INFO, "schema registry not loaded yet in epoch " + epoch + ": "
                                + ar.cause().getMessage());
                        vertx.setTimer(200, id -> {
                            if (loadingEpoch == epoch) {
                                load(epoch);
                            }
                        });
                    }
                });
    }

    private Future<Long> committedUpTo(long logEnd, long deadline) {
        return partitions.offsets(new OffsetsRequest(SchemasTail.PARTITION, OffsetsRequest.NO_TIMESTAMP)).compose((OffsetsResponse o) -> {
            if (o.highWatermark() >= logEnd) {
                return Future.succeededFuture(o.highWatermark());
            }
            if (clock.monotonicMillis() >= deadline) {
                return Future.failedFuture(new IllegalStateException("the log end " + logEnd + " is not committed yet"));
            }
            Promise<Long> later = Promise.promise();
            vertx.setTimer(LOAD_POLL_MS, id -> committedUpTo(logEnd, deadline).onComplete(later));
            return later.future();
        });
    }

    private boolean leading() {
        TopicMetadata topic = metadata.current().topic(SchemasTopic.NAME);
        if (topic == null || loadedEpoch < 0) {
            return false;
        }
        PartitionAssignment pa = topic.partition(0);
        return nodeId.equals(pa.leader()) && pa.leaderEpoch() == loadedEpoch;
    }

    private void onMessage(Message<Object> msg) {
        if (!(msg.body() instanceof RegistryCommand)) {
            msg.fail(ErrorCode.BAD_REQUEST.code(), "the schema registry takes no "
                    + (msg.body() == null ? "empty message" : msg.body().getClass().getSimpleName()));
            return;
        }
        queue.add(msg);
        if (!busy) {
            drain();
        }
    }

    /** Handles the queued commands one after another: each is decided on a copy that holds the one before. */
    private void drain() {
        Message<Object> msg = queue.poll();
        if (msg == null) {
            busy = false;
            return;
        }
        busy = true;
        handle(msg, (RegistryCommand) msg.body()).onComplete(ar -> drain());
    }

    private Future<Void> handle(Message<Object> msg, RegistryCommand command) {
        if (!leading()) {
            msg.fail(ErrorCode.NOT_LEADER.code(), "node " + nodeId + " does not lead " + SchemasTail.PARTITION + " (yet)");
            return Future.succeededFuture();
        }
        RegistryCommands.Decision decision;
        try {
            decision = commands.decide(command);
        } catch (RegistryException e) {
            msg.reply(RegistryReply.error(e.error().code(), e.getMessage()));
            return Future.succeededFuture();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "schema registry command failed: " + command, e);
            msg.reply(RegistryReply.error(RegistryError.STORE_ERROR.code(), "Error in the backend data store: " + e));
            return Future.succeededFuture();
        }
        if (decision.records().isEmpty()) {
            msg.reply(RegistryReply.ok(decision.answer()));
            return Future.succeededFuture();
        }
        TopicMetadata topic = metadata.current().topic(SchemasTopic.NAME);
        List<ProducerRecord> records = new ArrayList<>();
        for (RegistryCommands.Record r : decision.records()) {
            records.add(record(r.key(), r.value()));
        }
        int epoch = loadedEpoch;
        return produce.produceInEpoch(topic, records, writeTimeoutMs, epoch)
                .compose(outcome -> appended(msg, outcome, decision))
                .recover(e -> {
                    msg.reply(RegistryReply.error(RegistryError.STORE_ERROR.code(), "Error while registering schema: "
                            + Failures.toSluice(e).getMessage()));
                    return Future.succeededFuture();
                });
    }

    private Future<Void> appended(Message<Object> msg, ProduceOutcome outcome, RegistryCommands.Decision decision) {
        ErrorCode worst = outcome.worstError();
        if (worst == ErrorCode.FENCED_LEADER_EPOCH || worst == ErrorCode.NOT_LEADER) {
            // Nothing was written in this node's epoch: the sender asks the next leader, which decides afresh.
            loadedEpoch = -1;
            msg.fail(ErrorCode.NOT_LEADER.code(), "node " + nodeId + " no longer leads " + SchemasTail.PARTITION);
            return Future.succeededFuture();
        }
        if (worst != null) {
            RegistryError error = worst == ErrorCode.REQUEST_TIMED_OUT ? RegistryError.OPERATION_TIMEOUT : RegistryError.STORE_ERROR;
            msg.reply(RegistryReply.error(error.code(), "Error while storing to " + SchemasTopic.NAME + ": " + outcome.firstMessage()));
            // (It may still be committed later: the tail applies it then, and the next command sees it.)
            return Future.succeededFuture();
        }
        long end = outcome.offset(outcome.size() - 1) + 1;
        return tail.reach(end).timeout(writeTimeoutMs, TimeUnit.MILLISECONDS)
                .onSuccess(v -> msg.reply(RegistryReply.ok(decision.answer())));
    }

    private static ProducerRecord record(byte[] key, byte[] value) {
        return new ProducerRecord(key, 0, key.length, value, 0, value == null ? -1 : value.length, List.of(),
                ProducerRecord.ABSENT, 0, ProducerRecord.ABSENT, (short) 0, ProducerRecord.ABSENT, 0);
    }
}
