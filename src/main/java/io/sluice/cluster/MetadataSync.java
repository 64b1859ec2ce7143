package io.sluice.cluster;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * Keeps this node's {@link MetadataCache} and its durable {@link MetadataStore} in step with the
 * controller: every version published on {@value #ADDRESS} that is newer than what the node has
 * is written to disk, then applied. Versions are handled one at a time, in order.
 */
public final class MetadataSync extends VerticleBase {
    public static final String ADDRESS = "sluice.metadata";

    private final MetadataStore store;
    private final MetadataCache cache;
    private final String nodeId;
    private MessageConsumer<Buffer> consumer;
    private MessageConsumer<Object> query;
    private Future<?> queue = Future.succeededFuture();

    public MetadataSync(String nodeId, MetadataStore store, MetadataCache cache) {
        this.nodeId = nodeId;
        this.store = store;
        this.cache = cache;
    }

    /** Where a new controller asks this node for the metadata it holds. */
    public static String queryAddress(String nodeId) {
        return "sluice.metadata.query." + nodeId;
    }

    @Override
    public Future<?> start() {
        consumer = vertx.eventBus().consumer(ADDRESS, msg -> offer(MetadataStore.fromJson(msg.body().getBytes())));
        query = vertx.eventBus().consumer(queryAddress(nodeId), msg -> msg.reply(Buffer.buffer(MetadataStore.toJson(cache.current()))));
        return Future.all(consumer.completion(), query.completion());
    }

    /** Persists and applies {@code metadata} if it is newer than this node's. */
    public Future<?> offer(ClusterMetadata metadata) {
        queue = queue.eventually(() -> {
            if (!metadata.newerThan(cache.current())) {
                return Future.succeededFuture();
            }
            return vertx.executeBlocking(() -> {
                store.save(metadata);
                return null;
            }).onSuccess(v -> cache.apply(metadata));
        });
        return queue;
    }

    @Override
    public Future<?> stop() {
        return Future.join(consumer.unregister(), query.unregister());
    }
}
