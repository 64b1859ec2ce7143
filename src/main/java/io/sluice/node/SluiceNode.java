package io.sluice.node;

import io.sluice.api.http.Api;
import io.sluice.api.http.HttpServerVerticle;
import io.sluice.api.json.ProduceParser;
import io.sluice.bus.BusCodecs;
import io.sluice.cluster.ClusterMetadata;
import io.sluice.cluster.ClusterView;
import io.sluice.cluster.ControllerClient;
import io.sluice.cluster.ControllerVerticle;
import io.sluice.cluster.HazelcastSetup;
import io.sluice.cluster.MetadataCache;
import io.sluice.cluster.MetadataStore;
import io.sluice.cluster.MetadataSync;
import io.sluice.cluster.NodeIdentity;
import io.sluice.config.NodeConfig;
import io.sluice.group.GroupAdmin;
import io.sluice.group.GroupClient;
import io.sluice.group.GroupCoordinatorVerticle;
import io.sluice.group.OffsetsStore;
import io.sluice.metrics.SluiceMetrics;
import io.sluice.partition.LogManager;
import io.sluice.partition.PartitionClient;
import io.sluice.partition.ReplicaManager;
import io.sluice.produce.ProduceService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * A running Sluice node, the composition root: joins the cluster through Hazelcast, loads its copy
 * of the cluster metadata, starts the controller where it belongs, the partition replicas it
 * holds and the HTTP/WebSocket servers, and stops them in the reverse order. Tests start several
 * of these in one JVM; {@code Main} starts one.
 */
public final class SluiceNode {
    private static final System.Logger LOG = System.getLogger(SluiceNode.class.getName());

    private final NodeConfig config;
    private final String nodeId;
    private final SluiceMetrics metrics = new SluiceMetrics();
    private Vertx vertx;
    private LogManager logs;
    private ReplicaManager replicas;
    private MetadataCache metadata;
    private final List<String> httpDeployments = new ArrayList<>();
    private String replicaDeployment;
    private int httpPort;

    private SluiceNode(NodeConfig config, String nodeId) {
        this.config = config;
        this.nodeId = nodeId;
    }

    /** Starts a node; blocking work (the data directory) happens on the calling thread first. */
    public static Future<SluiceNode> start(NodeConfig config) {
        String nodeId;
        ClusterMetadata stored;
        LogManager logs;
        try {
            nodeId = NodeIdentity.resolve(config.dataDir(), config.nodeId());
            stored = new MetadataStore(config.dataDir()).load();
            logs = new LogManager(config.dataDir(), config.broker());
        } catch (IOException | RuntimeException e) {
            return Future.failedFuture(e);
        }
        SluiceNode node = new SluiceNode(config, nodeId);
        node.logs = logs;
        return node.boot(stored).map(node);
    }

    public String nodeId() {
        return nodeId;
    }

    public int httpPort() {
        return httpPort;
    }

    public Vertx vertx() {
        return vertx;
    }

    public SluiceMetrics metrics() {
        return metrics;
    }

    public LogManager logs() {
        return logs;
    }

    private Future<Void> boot(ClusterMetadata stored) {
        HazelcastClusterManager manager = new HazelcastClusterManager(HazelcastSetup.config(config));
        MicrometerMetricsOptions metricsOptions = new MicrometerMetricsOptions().setEnabled(true)
                .setJvmMetricsEnabled(true)
                .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE, Label.LOCAL));
        VertxOptions options = new VertxOptions()
                .setEventBusOptions(new EventBusOptions().setHost(config.clusterHost()).setPort(0))
                .setMetricsOptions(metricsOptions);
        return Vertx.builder().with(options).withClusterManager(manager)
                .withMetrics(new MicrometerMetricsFactory(metrics.registry()))
                .buildClustered()
                .compose(v -> {
                    vertx = v;
                    BusCodecs.register(v.eventBus());
                    metadata = new MetadataCache(v);
                    metadata.apply(stored);
                    MetadataStore store = new MetadataStore(config.dataDir());
                    ClusterView view = new SingleNodeView(nodeId, config);
                    replicas = new ReplicaManager(nodeId, logs, metadata, config.broker(), metrics.registry());
                    metrics.gauge("sluice.log.open.segments", "Segments holding a file handle and indexes",
                            io.micrometer.core.instrument.Tags.empty(), () -> logs.openSegments().openCount());
                    return v.deployVerticle(new MetadataSync(store, metadata))
                            .compose(id -> v.deployVerticle(new ControllerVerticle(store, metadata, config.broker(),
                                    () -> List.of(nodeId), stored)))
                            .compose(id -> v.deployVerticle(replicas))
                            .compose(id -> {
                                replicaDeployment = id;
                                PartitionClient client = new PartitionClient(v, metadata);
                                ProduceService produce = new ProduceService(client, config.broker(), metrics);
                                ProduceParser parser = new ProduceParser();
                                ControllerClient controller = new ControllerClient(v, metadata);
                                GroupAdmin groupAdmin = new GroupAdmin(metadata, client, metrics);
                                GroupCoordinatorVerticle coordinator = new GroupCoordinatorVerticle(nodeId, metadata,
                                        new OffsetsStore(metadata, client, produce, parser), groupAdmin,
                                        config.broker().getLong("sluice.group.lag.refresh.ms"));
                                Api api = new Api(v, nodeId, config.broker(), metadata, client, produce, controller, view,
                                        replicas, metrics, parser, new GroupClient(v, metadata, controller));
                                return v.deployVerticle(coordinator).compose(c -> startHttp(api));
                            });
                });
    }

    /**
     * One server per event loop, all on one port: Vert.x shares a port between servers of the
     * same host and requested port, port 0 included (they then share one random port).
     */
    private Future<Void> startHttp(Api api) {
        int instances = Math.max(1, Math.min(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE, 4));
        List<Future<String>> deployed = new ArrayList<>();
        List<HttpServerVerticle> servers = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            HttpServerVerticle server = new HttpServerVerticle(api, config.httpHost(), config.httpPort());
            servers.add(server);
            deployed.add(vertx.deployVerticle(server).onSuccess(httpDeployments::add));
        }
        return Future.all(deployed).<Void>mapEmpty().onSuccess(v -> {
            httpPort = servers.get(0).actualPort();
            LOG.log(System.Logger.Level.INFO, "node " + nodeId + " serving http://" + config.httpHost() + ":" + httpPort);
        });
    }

    /**
     * Stops gracefully: no new requests, partitions flushed and closed cleanly (so the next start
     * skips recovery), then the cluster is left.
     */
    public Future<Void> stop() {
        if (vertx == null) {
            return Future.succeededFuture();
        }
        List<Future<?>> http = new ArrayList<>();
        for (String id : httpDeployments) {
            http.add(vertx.undeploy(id));
        }
        return Future.join(http)
                .transform(ar -> replicaDeployment == null ? Future.succeededFuture() : vertx.undeploy(replicaDeployment))
                .transform(ar -> {
                    logs.close();
                    return vertx.close();
                });
    }
}
