package io.sluice.cluster;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.bus.TopicPartition;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * This node's current view of the cluster metadata, read by every request (which node leads a
 * partition, how many partitions a topic has) and replaced whole when a newer version arrives.
 * Thread-safe: readers see one consistent snapshot through a volatile field.
 */
public final class MetadataCache {
    private final Vertx vertx;
    private final List<Consumer<ClusterMetadata>> listeners = new CopyOnWriteArrayList<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private volatile ClusterMetadata current = ClusterMetadata.EMPTY;

    private record Waiter(long version, Promise<Void> promise) {
    }

    public MetadataCache(Vertx vertx) {
        this.vertx = vertx;
    }

    public ClusterMetadata current() {
        return current;
    }

    /** The topic, or a 404 {@link SluiceException}. */
    public TopicMetadata topic(String name) {
        TopicMetadata t = current.topic(name);
        if (t == null) {
            throw new SluiceException(ErrorCode.UNKNOWN_TOPIC, "topic '" + name + "' does not exist");
        }
        return t;
    }

    /** The partition's assignment, or a 404 {@link SluiceException}. */
    public PartitionAssignment partition(TopicPartition tp) {
        TopicMetadata t = topic(tp.topic());
        if (tp.partition() < 0 || tp.partition() >= t.partitionCount()) {
            throw new SluiceException(ErrorCode.UNKNOWN_PARTITION, "topic '" + tp.topic() + "' has no partition "
                    + tp.partition() + " (it has " + t.partitionCount() + ")");
        }
        return t.partition(tp.partition());
    }

    /** Called with every newer snapshot, on the thread that applied it. */
    public void onChange(Consumer<ClusterMetadata> listener) {
        listeners.add(listener);
    }

    /**
     * Takes {@code metadata} if it is newer than the current snapshot.
     *
     * @return whether it was newer
     */
    public boolean apply(ClusterMetadata metadata) {
        return apply(metadata, false);
    }

    /**
     * Takes {@code metadata} if it is newer, or whatever it is when {@code replace}: a node that
     * rejoins the cluster's controller after running on its own discards its own history.
     */
    public boolean apply(ClusterMetadata metadata, boolean replace) {
        List<Waiter> ready = new ArrayList<>();
        synchronized (this) {
            if (!(replace ? !metadata.equals(current) : metadata.newerThan(current))) {
                return false;
            }
            current = metadata;
            for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (w.version <= metadata.version()) {
                    ready.add(w);
                    it.remove();
                }
            }
        }
        for (Consumer<ClusterMetadata> l : listeners) {
            l.accept(metadata);
        }
        ready.forEach(w -> w.promise.tryComplete());
        return true;
    }

    /**
     * Completes once this node has seen {@code version}, or fails after {@code timeoutMs}, on the
     * caller's context: the version is applied on another thread (the metadata sync's or the
     * controller's), and the callers' continuations touch state confined to their own loop (a
     * leader's ISR change, the broker's lease, a group member's session).
     */
    public Future<Void> awaitVersion(long version, long timeoutMs) {
        Promise<Void> promise = ((ContextInternal) vertx.getOrCreateContext()).promise();
        synchronized (this) {
            if (current.version() >= version) {
                return Future.succeededFuture();
            }
            waiters.add(new Waiter(version, promise));
        }
        long timer = vertx.setTimer(timeoutMs, id -> promise.tryFail(new SluiceException(ErrorCode.REQUEST_TIMED_OUT,
                "metadata version " + version + " did not reach this node within " + timeoutMs + " ms")));
        return promise.future().andThen(ar -> vertx.cancelTimer(timer));
    }
}
