package io.sluice.cluster;

import io.sluice.quorum.MetadataDelta;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Keeps this node's {@link MetadataCache} and its {@link MetadataStore} copy in step with the
 * controller: every version the current controller publishes on {@value #ADDRESS} (as the
 * committed {@link MetadataDelta}, or whole) that is newer than what the node has is applied, then
 * written to disk behind ({@link BackgroundMetadataSaver}); a voter also takes each version its
 * own quorum member commits ({@link #committed}). Versions are handled one at a time, in order.
 * It also answers a new controller's question: what metadata do you hold?
 *
 * <p>A publication can miss a node (the event bus routes it by the subscriptions the publisher
 * knows, which lag behind a node that has just joined), so the controller also announces its
 * version on {@value #BEACON_ADDRESS} every {@code sluice.metadata.beacon.ms}; a node that finds
 * itself behind pulls the whole snapshot from the controller. Without that, one lost message
 * would leave a node acting on old leaders until the next change, which may never come.
 */
public final class MetadataSync extends VerticleBase {
    private static final System.Logger LOG = System.getLogger(MetadataSync.class.getName());
    public static final String ADDRESS = "sluice.metadata";
    public static final String BEACON_ADDRESS = "sluice.metadata.beacon";

    static final String PUBLISHER = "controller";
    /** Header naming a publication's form: {@value #DELTA}, or absent for the whole metadata. */
    static final String KIND = "kind";
    static final String DELTA = "delta";

    private final MetadataStore store;
    private final MetadataCache cache;
    private final String nodeId;
    private final ControllerLocator controller;
    private MessageConsumer<Buffer> consumer;
    private MessageConsumer<Object> query;
    private MessageConsumer<JsonObject> beacons;
    /** Pulls the current controller's snapshot (set once the node can reach the controller). */
    private volatile Supplier<Future<ClusterMetadata>> puller;
    private boolean pulling;
    /** The controller whose publication this node holds now (null until one arrives). */
    private String source;
    private Future<?> queue = Future.succeededFuture();
    /** The newest metadata offered (applied, or queued to be): what the next delta applies to. */
    private ClusterMetadata latest = ClusterMetadata.EMPTY;
    private BackgroundMetadataSaver saver;
    /** The latest committed metadata not yet offered (see {@link #committed}). */
    private final java.util.concurrent.atomic.AtomicReference<ClusterMetadata> committedWaiting =
            new java.util.concurrent.atomic.AtomicReference<>();

    /**
     * @param controller the controller this node follows: publications and beacons from a node
     *                   announcing a lower controller epoch (a deposed controller that has not
     *                   noticed yet, reaching us through stale event-bus routes) are ignored
     */
    public MetadataSync(String nodeId, MetadataStore store, MetadataCache cache, ControllerLocator controller) {
        this.nodeId = nodeId;
        this.store = store;
        this.cache = cache;
        this.controller = controller;
    }

    /** Where a new controller asks this node for the metadata it holds. */
    public static String queryAddress(String nodeId) {
        return "sluice.metadata.query." + nodeId;
    }

    /** Publishes {@code metadata} whole to every node, signed with the publishing controller's node id. */
    public static void publish(Vertx vertx, String controllerId, ClusterMetadata metadata) {
        vertx.eventBus().publish(ADDRESS, Buffer.buffer(MetadataStore.toJson(metadata)),
                new DeliveryOptions().addHeader(PUBLISHER, controllerId));
    }

    /**
     * Publishes a committed change as the {@link MetadataDelta} that was committed: only the topics
     * that changed travel, as KRaft's brokers replay records rather than snapshots. Publishing the
     * whole metadata for each version grew with the square of the topics created one by one (a
     * thousand topics of ten partitions: about half a gigabyte of JSON written and read on every
     * node). A node whose metadata is not the delta's base pulls the whole metadata instead.
     */
    public static void publishDelta(Vertx vertx, String controllerId, MetadataDelta delta) {
        vertx.eventBus().publish(ADDRESS, Buffer.buffer(delta.toBytes()),
                new DeliveryOptions().addHeader(PUBLISHER, controllerId).addHeader(KIND, DELTA));
    }

    /** Announces {@code metadata}'s version to every node (see the class comment). */
    public static void beacon(Vertx vertx, String controllerId, ClusterMetadata metadata) {
        vertx.eventBus().publish(BEACON_ADDRESS, new JsonObject()
                        .put("controller_epoch", metadata.controllerEpoch()).put("version", metadata.version()),
                new DeliveryOptions().addHeader(PUBLISHER, controllerId));
    }

    /** Where this node pulls the controller's snapshot from when a beacon shows it is behind. */
    public void pullWith(Supplier<Future<ClusterMetadata>> puller) {
        this.puller = puller;
    }

    @Override
    public Future<?> start() {
        saver = new BackgroundMetadataSaver(vertx, store);
        latest = cache.current();
        consumer = vertx.eventBus().consumer(ADDRESS, msg -> {
            String publisher = msg.headers().get(PUBLISHER);
            if (publisher == null || publisher.equals(nodeId)) {
                // (The controller applies what it commits before publishing it.)
                return;
            }
            if (DELTA.equals(msg.headers().get(KIND))) {
                onDelta(publisher, MetadataDelta.fromBytes(msg.body().getBytes()));
                return;
            }
            ClusterMetadata published = MetadataStore.fromJson(msg.body().getBytes());
            if (controller.observe(publisher, published.controllerEpoch())) {
                // From a controller other than the last one heard, the metadata is taken whatever
                // its version: this node may hold metadata from before the quorum existed.
                boolean switched = !publisher.equals(source);
                if (switched) {
                    LOG.log(System.Logger.Level.INFO, "taking metadata from controller " + publisher);
                }
                source = publisher;
                offer(published, switched);
            }
        });
        query = vertx.eventBus().consumer(queryAddress(nodeId), msg -> msg.reply(Buffer.buffer(MetadataStore.toJson(cache.current()))));
        beacons = vertx.eventBus().consumer(BEACON_ADDRESS, msg -> {
            String publisher = msg.headers().get(PUBLISHER);
            if (publisher != null && controller.observe(publisher, msg.body().getLong("controller_epoch"))) {
                onBeacon(publisher, msg.body().getLong("controller_epoch"), msg.body().getLong("version"));
            }
        });
        return Future.all(consumer.completion(), query.completion(), beacons.completion());
    }

    /** A committed change: applied to the newest metadata taken here when that is its base, else pulled whole. */
    private void onDelta(String publisher, MetadataDelta delta) {
        if (!controller.observe(publisher, delta.controllerEpoch())) {
            return;
        }
        if (publisher.equals(source) && delta.appliesTo(latest)) {
            offer(delta.applyTo(latest));
            return;
        }
        if (delta.version() <= latest.version() && delta.controllerEpoch() <= latest.controllerEpoch()) {
            return;   // already taken (through this node's quorum member, or a pull)
        }
        onBeacon(publisher, delta.controllerEpoch(), delta.version());
    }

    private void onBeacon(String publisher, long epoch, long version) {
        if (publisher.equals(nodeId)) {
            // The controller runs here and applies each version itself before announcing it.
            source = publisher;
            return;
        }
        ClusterMetadata have = cache.current();
        boolean switched = !publisher.equals(source);
        boolean behind = new ClusterMetadata(epoch, version, Map.of()).newerThan(have);
        Supplier<Future<ClusterMetadata>> pull = puller;
        if ((!switched && !behind) || pulling || pull == null) {
            return;
        }
        LOG.log(System.Logger.Level.INFO, "metadata " + have.controllerEpoch() + "/" + have.version() + " is behind controller "
                + publisher + " at " + epoch + "/" + version + ": pulling it");
        pulling = true;
        pull.get().compose(m -> {
            // Taken only if the controller is still the one this node follows.
            if (!publisher.equals(controller.controllerId())) {
                return Future.succeededFuture();
            }
            boolean replace = !publisher.equals(source);
            source = publisher;
            return offer(m, replace);
        }).onComplete(ar -> {
            pulling = false;
            if (ar.failed()) {
                LOG.log(System.Logger.Level.INFO, "could not pull metadata from controller " + publisher + ": " + ar.cause().getMessage());
            }
        });
    }

    /**
     * Metadata a majority of the voters committed, as this node's own quorum member applied it (a
     * voter, leader or not). Taken like a publication when newer, so a voter follows the metadata
     * log itself, as KRaft's brokers do, and learns a change even when the event bus cannot reach
     * it: a node cut off from Hazelcast's cluster until the next merge, or one that missed the
     * publication. Any thread; a burst (the log replayed at start) is taken at its latest.
     */
    public void committed(ClusterMetadata metadata) {
        if (nodeId.equals(controller.controllerId())) {
            // The controller persists and applies each version itself before it publishes it.
            return;
        }
        if (committedWaiting.getAndSet(metadata) == null) {
            context.runOnContext(v -> offer(committedWaiting.getAndSet(null)));
        }
    }

    /** Applies {@code metadata} (written behind) if it is newer than this node's. */
    public Future<?> offer(ClusterMetadata metadata) {
        return offer(metadata, false);
    }

    /** Applies {@code metadata} and writes it behind: if newer, or in any case when {@code replace}. */
    public Future<?> offer(ClusterMetadata metadata, boolean replace) {
        if (replace || metadata.newerThan(latest)) {
            latest = metadata;
        }
        queue = queue.eventually(() -> {
            if (replace ? metadata.equals(cache.current()) : !metadata.newerThan(cache.current())) {
                return Future.succeededFuture();
            }
            // Applied at once, written behind: a node reads its copy only at its next start, and
            // takes the controller's metadata then before it acts on any (see SluiceNode).
            cache.apply(metadata, replace);
            saver.save(metadata);
            return Future.succeededFuture();
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
        return Future.join(consumer.unregister(), query.unregister(), beacons.unregister()).eventually(() -> queue)
                .eventually(() -> saver.flushed());
    }
}
