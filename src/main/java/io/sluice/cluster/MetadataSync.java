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
    private MessageConsumer<Buffer> consumer;
    private Future<?> queue = Future.succeededFuture();

    public MetadataSync(MetadataStore store, MetadataCache cache) {
        this.store = store;
        this.cache = cache;
    }

    @Override
    public Future<?> start() {
        consumer = vertx.eventBus().consumer(ADDRESS, msg -> offer(MetadataStore.fromJson(msg.body().getBytes())));
        return consumer.completion();
    }

    /** Persists and applies {@code metadata} if it is newer than this node's. */
    public Future<?> offer(ClusterMetadata metadata) {
        queue = queue.eventually(() -> {
            if (metadata.version() <= cache.current().version()) {
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
        return consumer.unregister();
    }
}
