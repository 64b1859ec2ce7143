package io.sluice.produce;

import io.sluice.bus.Acks;
import io.sluice.bus.ProduceRequest;
import io.sluice.bus.ProduceResponse;
import io.sluice.common.Clock;
import io.sluice.common.ErrorCode;
import io.sluice.common.Failures;
import io.sluice.common.SluiceException;
import io.sluice.cluster.TopicMetadata;
import io.sluice.config.BrokerSettings;
import io.sluice.config.TopicConfig;
import io.sluice.log.LogConfig;
import io.sluice.schema.RecordValidator;
import io.sluice.schema.TopicSchemaRules;
import io.sluice.metrics.SluiceMetrics;
import io.sluice.partition.PartitionClient;
import io.vertx.core.Future;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Produces parsed records to a topic from any front end (HTTP batch, NDJSON, WebSocket): plans
 * them into per-partition requests, sends those to the partition leaders in parallel and gathers
 * the answers back into the callers' record order. Records of a topic that validates keys or values
 * against the schema registry are checked first ({@link RecordValidator}): a request with one bad
 * record is refused whole. Thread-safe.
 */
public final class ProduceService {
    private final PartitionClient client;
    private final BrokerSettings broker;
    private final SluiceMetrics metrics;
    /** Its wall clock stamps the records (their create time). */
    private final Clock clock;
    private final Map<String, AtomicInteger> sticky = new ConcurrentHashMap<>();
    private final Map<String, TopicLimits> limits = new ConcurrentHashMap<>();
    private final long defaultTimeoutMs;

    /** A topic's batch size limit and schema rules, cached per topic id and configs. */
    private record TopicLimits(String topicId, Map<String, String> configs, int maxMessageBytes, TopicSchemaRules schemaRules) {
    }

    /** Validation on produce; set once while the node starts (the registry it asks is built after this service). */
    private volatile RecordValidator validator;

    public ProduceService(PartitionClient client, BrokerSettings broker, SluiceMetrics metrics, Clock clock) {
        this.client = client;
        this.broker = broker;
        this.metrics = metrics;
        this.clock = clock;
        this.defaultTimeoutMs = broker.getLong("sluice.request.timeout.ms");
    }

    /** On the {@link Clock#SYSTEM system clock} (tests that build a service of their own). */
    public ProduceService(PartitionClient client, BrokerSettings broker, SluiceMetrics metrics) {
        this(client, broker, metrics, Clock.SYSTEM);
    }

    /**
     * Validates records of topics whose configs ask for it with {@code validator} from now on. Until
     * then (and in services built without a registry) such topics refuse produce as unavailable.
     */
    public void validateWith(RecordValidator validator) {
        this.validator = validator;
    }

    /** The schema rules of {@code topic}'s configs, cached as its size limit is (typed JSON produce reads them too). */
    public TopicSchemaRules schemaRules(TopicMetadata topic) {
        return limits(topic).schemaRules();
    }

    /** {@code sluice.request.timeout.ms}: how long a produce may wait when the client names no timeout. */
    public long defaultTimeoutMs() {
        return defaultTimeoutMs;
    }

    /**
     * {@code topic}, if a client may produce to it: internal topics are written by the broker only
     * (their records must keep its format), whichever interface the client uses.
     */
    public static TopicMetadata writableByClients(TopicMetadata topic) {
        if (topic.internal()) {
            throw new SluiceException(ErrorCode.INVALID_TOPIC, "'" + topic.name() + "' is an internal topic; only the broker writes to it");
        }
        return topic;
    }

    /**
     * Produces {@code records} to {@code topic}.
     *
     * @return per-record outcomes; fails only for errors found before anything was sent (an unknown
     *         partition, a record over the size limit), in which case nothing was stored
     */
    public Future<ProduceOutcome> produce(TopicMetadata topic, List<ProducerRecord> records, Acks acks, long timeoutMs,
                                          String idempotencyKey) {
        return produce(topic, records, acks, timeoutMs, idempotencyKey, ProduceRequest.ANY_EPOCH);
    }

    /**
     * Produces {@code records} to {@code topic} with {@code acks=all}, each partition's records to be
     * written only while its leader is in {@code leaderEpoch}: otherwise they fail with
     * {@code FENCED_LEADER_EPOCH}, and are not retried at the next leader (a group coordinator's
     * writes, which belong to the epoch in which it loaded the partition).
     */
    public Future<ProduceOutcome> produceInEpoch(TopicMetadata topic, List<ProducerRecord> records, long timeoutMs,
                                                 int leaderEpoch) {
        return produce(topic, records, Acks.ALL, timeoutMs, null, leaderEpoch);
    }

    private Future<ProduceOutcome> produce(TopicMetadata topic, List<ProducerRecord> records, Acks acks, long timeoutMs,
                                           String idempotencyKey, int leaderEpoch) {
        TopicLimits limits;
        try {
            limits = limits(topic);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        if (limits.schemaRules().validates()) {
            RecordValidator v = validator;
            if (v == null) {
                return Future.failedFuture(new SluiceException(ErrorCode.UNAVAILABLE, "topic '" + topic.name()
                        + "' validates records against the schema registry, which this node does not serve yet"));
            }
            Future<Void> checked = v.validate(topic.name(), limits.schemaRules(), records);
            // (Answered from memory: carry on in this call rather than through a callback.)
            if (!checked.succeeded()) {
                return checked.compose(ok -> send(topic, limits, records, acks, timeoutMs, idempotencyKey, leaderEpoch));
            }
        }
        return send(topic, limits, records, acks, timeoutMs, idempotencyKey, leaderEpoch);
    }

    private Future<ProduceOutcome> send(TopicMetadata topic, TopicLimits limits, List<ProducerRecord> records, Acks acks,
                                        long timeoutMs, String idempotencyKey, int leaderEpoch) {
        ProducePlan plan;
        try {
            int partitions = topic.partitionCount();
            int keyless = keylessPartition(topic.name(), partitions, idempotencyKey);
            plan = ProducePlan.of(topic.name(), partitions, records, acks, timeoutMs, clock.wallMillis(),
                    limits.maxMessageBytes(), idempotencyKey, keyless);
        } catch (SluiceException e) {
            return Future.failedFuture(e);
        }
        ProduceOutcome outcome = new ProduceOutcome(plan.recordCount());
        if (acks == Acks.NONE) {
            for (ProduceRequest r : plan.requests()) {
                client.produceAndForget(r);
            }
            for (int i = 0; i < plan.recordCount(); i++) {
                outcome.set(i, plan.partitionOf(i), -1);
            }
            metrics.produced(topic.name(), plan.recordCount(), plan.bytes());
            return Future.succeededFuture(outcome);
        }
        List<ProduceRequest> requests = plan.requests();
        if (leaderEpoch != ProduceRequest.ANY_EPOCH) {
            requests = new ArrayList<>(requests.size());
            for (ProduceRequest r : plan.requests()) {
                requests.add(r.inEpoch(leaderEpoch));
            }
        }
        List<Future<ProduceResponse>> sent = client.produceAll(requests);
        // (One partition, the usual case for a lone record: its answer is the only one to wait for.)
        Future<?> all = sent.size() == 1 ? sent.get(0) : Future.join(sent);
        return all.transform(ignored -> {
            for (int i = 0; i < plan.recordCount(); i++) {
                Future<ProduceResponse> f = sent.get(plan.requestOf(i));
                int partition = plan.partitionOf(i);
                if (f.failed()) {
                    SluiceException e = Failures.toSluice(f.cause());
                    outcome.fail(i, partition, e.code(), e.getMessage());
                    continue;
                }
                ProduceResponse.BatchResult br = f.result().results().get(plan.batchOf(i));
                if (br.error() != null) {
                    outcome.fail(i, partition, br.error(), br.message());
                } else {
                    outcome.set(i, partition, br.firstOffset() + plan.indexInBatch(i));
                }
            }
            int ok = outcome.succeeded();
            if (ok > 0) {
                metrics.produced(topic.name(), ok, ok == plan.recordCount() ? plan.bytes() : plan.bytes() * ok / plan.recordCount());
            }
            return Future.succeededFuture(outcome);
        });
    }

    /**
     * Where this request's keyless records go: by the idempotency key's hash when it has one (a
     * retry must land where the first try did), else the topic's next partition in turn. (A topic
     * of one partition skips the counter, which the event loops would otherwise all write.)
     */
    private int keylessPartition(String topic, int partitions, String idempotencyKey) {
        if (idempotencyKey != null) {
            byte[] key = idempotencyKey.getBytes(StandardCharsets.UTF_8);
            return Partitioner.partitionForKey(key, 0, key.length, partitions);
        }
        if (partitions == 1) {
            return 0;
        }
        return Math.floorMod(sticky.computeIfAbsent(topic, t -> new AtomicInteger()).getAndIncrement(), partitions);
    }

    private TopicLimits limits(TopicMetadata topic) {
        TopicLimits cached = limits.get(topic.name());
        if (cached == null || !cached.topicId().equals(topic.topicId()) || !cached.configs().equals(topic.configs())) {
            TopicConfig config = TopicConfig.of(topic.configs());
            LogConfig log = config.toLogConfig(broker);
            cached = new TopicLimits(topic.topicId(), topic.configs(), log.maxMessageBytes, TopicSchemaRules.of(config, log.compact));
            limits.put(topic.name(), cached);
        }
        return cached;
    }
}
