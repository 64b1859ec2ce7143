package io.sluice.cluster;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * Keeps this node's {@link MetadataCache} and its durable {@link MetadataStore} in step with the
 * controller: every version the current controller publishes on {@value #ADDRESS} that is newer
 * than what the node has is written to disk, then applied. Versions are handled one at a time,
 * in order. It also answers a new controller's question: what metadata do you hold?
 */
public final class MetadataSync extends VerticleBase {
    private static final System.Logger LOG = System.getLogger(MetadataSync.class.getName());
    public static final String ADDRESS = "sluice.metadata";

    static final String PUBLISHER = "controller";

    private final MetadataStore store;
    private final MetadataCache cache;
    private final String nodeId;
    private final java.util.function.Supplier<String> controller;
    private MessageConsumer<Buffer> consumer;
    private MessageConsumer<Object> query;
    /** The controller whose publication this node holds now (null until one arrives). */
    private String source;
    private Future<?> queue = Future.succeededFuture();

    /**
     * @param controller the node this node currently takes for the controller: publications
     *                   from any other node (a controller cut off from the cluster that has not
     *                   noticed, reaching us through stale event-bus routes) are ignored
     */
    public MetadataSync(String nodeId, MetadataStore store, MetadataCache cache, java.util.function.Supplier<String> controller) {
        this.nodeId = nodeId;
        this.store = store;
        this.cache = cache;
        this.controller = controller;
    }

    /** Where a new controller asks this node for the metadata it holds. */
    public static String queryAddress(String nodeId) {
        return "sluice.metadata.query." + nodeId;
    }

    /** Publishes {@code metadata} to every node, signed with the publishing controller's node id. */
    public static void publish(io.vertx.core.Vertx vertx, String controllerId, ClusterMetadata metadata) {
        vertx.eventBus().publish(ADDRESS, Buffer.buffer(MetadataStore.toJson(metadata)),
                new io.vertx.core.eventbus.DeliveryOptions().addHeader(PUBLISHER, controllerId));
    }

    @Override
    public Future<?> start() {
        consumer = vertx.eventBus().consumer(ADDRESS, msg -> {
            String publisher = msg.headers().get(PUBLISHER);
            if (publisher != null && publisher.equals(controller.get())) {
                // From a controller other than the last one heard, the metadata is taken whatever
                // its epoch: this node may hold a history of its own from a time it was cut off.
                boolean switched = !publisher.equals(source);
                if (switched) {
                    LOG.log(System.Logger.Level.INFO, "taking metadata from controller " + publisher);
                }
                source = publisher;
                offer(MetadataStore.fromJson(msg.body().getBytes()), switched);
            }
        });
        query = vertx.eventBus().consumer(queryAddress(nodeId), msg -> msg.reply(Buffer.buffer(MetadataStore.toJson(cache.current()))));
        return Future.all(consumer.completion(), query.completion());
    }

    /** Persists and applies {@code metadata} if it is newer than this node's. */
    public Future<?> offer(ClusterMetadata metadata) {
        return offer(metadata, false);
    }

    /** Persists and applies {@code metadata}: if newer, or in any case when {@code replace}. */
    public Future<?> offer(ClusterMetadata metadata, boolean replace) {
        queue = queue.eventually(() -> {
            if (replace ? metadata.equals(cache.current()) : !metadata.newerThan(cache.current())) {
                return Future.succeededFuture();
            }
            return vertx.executeBlocking(() -> {
                store.save(metadata);
                return null;
            }).onSuccess(v -> cache.apply(metadata, replace));
        });
        return queue;
    }

    /** Takes the controller's metadata as this node's (at start, before acting on any). */
    public Future<?> adopt(ClusterMetadata metadata, String controllerId) {
        source = controllerId;
        return offer(metadata, true);
    }

    @Override
    public Future<?> stop() {
        return Future.join(consumer.unregister(), query.unregister());
    }
}
