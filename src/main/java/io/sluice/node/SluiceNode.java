package io.sluice.node;

import io.sluice.api.Api;
import io.sluice.api.http.HttpServerVerticle;
import io.sluice.api.json.ProduceParser;
import io.sluice.bus.BusCodecs;
import io.sluice.bus.ControllerCommand;
import io.sluice.quota.QuotaSettings;
import io.sluice.quota.Quotas;
import io.sluice.security.Security;
import io.sluice.security.SecuritySettings;
import io.sluice.cluster.ClusterMembership;
import io.sluice.cluster.ClusterMetadata;
import io.sluice.cluster.ControllerClient;
import io.sluice.cluster.ControllerElection;
import io.sluice.cluster.BrokerHeartbeater;
import io.sluice.cluster.BrokerLease;
import io.sluice.cluster.BusReachability;
import io.sluice.cluster.ControllerLocator;
import io.sluice.cluster.ControllerVerticle;
import io.sluice.cluster.NodeEndpoint;
import io.sluice.cluster.HazelcastSetup;
import io.sluice.cluster.MetadataCache;
import io.sluice.cluster.MetadataStore;
import io.sluice.cluster.MetadataSync;
import io.sluice.cluster.NodeIdentity;
import io.sluice.common.Clock;
import io.sluice.config.NodeConfig;
import io.sluice.group.GroupAdmin;
import io.sluice.group.GroupClient;
import io.sluice.group.GroupCoordinatorVerticle;
import io.sluice.group.OffsetsStore;
import io.sluice.metrics.ResourceMetrics;
import io.sluice.metrics.SluiceMetrics;
import io.sluice.partition.LogManager;
import io.sluice.partition.PartitionClient;
import io.sluice.partition.ReplicaEndpoint;
import io.sluice.partition.ReplicaManager;
import io.sluice.partition.ReplicationSettings;
import io.sluice.produce.ProduceService;
import io.sluice.quorum.MetadataQuorum;
import io.sluice.quorum.QuorumBootstrap;
import io.sluice.quorum.QuorumPlan;
import io.sluice.quorum.QuorumSettings;
import io.sluice.schema.RecordSchemas;
import io.sluice.schema.SchemaProviders;
import io.sluice.schema.registry.RegistryLookup;
import io.sluice.schema.registry.RegistryState;
import io.sluice.schema.registry.SchemaRegistry;
import io.sluice.schema.registry.SchemaRegistryVerticle;
import io.sluice.security.CertificatePrincipals;
import io.sluice.security.tls.BusTls;
import io.sluice.security.tls.CertificateReloader;
import io.sluice.security.tls.TlsMaterial;
import io.sluice.security.tls.TlsSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A running Sluice node, the composition root: joins the cluster through Hazelcast, takes part
 * in controller election, brings its metadata up to date with the controller, then starts the
 * partition replicas it holds, the group coordinator and the HTTP/WebSocket servers; and stops
 * them in the reverse order after handing its leaderships to other nodes. Tests start several
 * of these in one JVM; {@code Main} starts one. Its parts read the time from the node's
 * {@link Clock}, handed to them here (all but the consumer groups', for now).
 */
public final class SluiceNode {
    private static final System.Logger LOG = System.getLogger(SluiceNode.class.getName());

    private final NodeConfig config;
    private final String nodeId;
    /** Where the node's parts read the time. */
    private final Clock clock;
    private final SluiceMetrics metrics;
    private final List<String> deployments = new ArrayList<>();
    private final List<String> httpDeployments = new ArrayList<>();
    private Vertx vertx;
    private LogManager logs;
    private MetadataCache metadata;
    private ClusterMembership membership;
    private ControllerElection election;
    private final ControllerLocator locator = new ControllerLocator();
    private final BrokerLease lease;
    /** Whether this start followed a clean stop (the marker {@link #CLEAN_SHUTDOWN} was there). */
    private boolean cleanStart;
    static final String CLEAN_SHUTDOWN = ".clean-shutdown";
    private QuorumPlan quorumPlan;
    private BusReachability reachability;
    private MetadataQuorum quorum;
    private ControllerClient controller;
    private SecuritySettings securitySettings;
    /** Parsed with the security settings, so that a bad quota.overrides stops the start before anything runs. */
    private QuotaSettings quotaSettings;
    private Security security = Security.disabled();
    private volatile ReplicaManager replicas;
    private volatile SchemaRegistry registry;
    private int httpPort;
    /** Event loops of this node's Vert.x: one HTTP server instance each, up to 4. */
    private int eventLoops;
    /** The HTTP port's certificate as read at start, or null for plain HTTP; then the reloader's. */
    private TlsMaterial httpTlsMaterial;
    private CertificateReloader httpTls;
    /** The event bus's mutual TLS, or null for a plain bus. */
    private TlsMaterial busTlsMaterial;
    private CertificatePrincipals certificatePrincipals;

    private SluiceNode(NodeConfig config, String nodeId, Clock clock) {
        this.config = config;
        this.nodeId = nodeId;
        this.clock = clock;
        this.metrics = new SluiceMetrics(clock);
        this.lease = new BrokerLease(clock::monotonicNanos);
    }

    /** Starts a node on the system clock; blocking work (the data directory) happens on the calling thread first. */
    public static Future<SluiceNode> start(NodeConfig config) {
        return start(config, Clock.SYSTEM);
    }

    /** Starts a node whose parts read the time from {@code clock}; blocking work happens on the calling thread first. */
    public static Future<SluiceNode> start(NodeConfig config, Clock clock) {
        String nodeId;
        ClusterMetadata stored;
        LogManager logs;
        try {
            nodeId = NodeIdentity.resolve(config.dataDir(), config.nodeId());
            stored = new MetadataStore(config.dataDir()).load();
            logs = new LogManager(config.dataDir(), config.broker(), clock);
        } catch (IOException | RuntimeException e) {
            return Future.failedFuture(e);
        }
        SluiceNode node = new SluiceNode(config, nodeId, clock);
        node.logs = logs;
        try {
            node.loadTls();
            node.securitySettings = SecuritySettings.of(config.broker());
            node.quotaSettings = QuotaSettings.of(config.broker());
        } catch (TlsMaterial.Invalid | RuntimeException e) {
            logs.close();
            return Future.failedFuture(e);
        }
        try {
            node.cleanStart = takeCleanShutdownMarker(config.dataDir());
        } catch (IOException e) {
            return Future.failedFuture(e);
        }
        return node.boot(stored).map(node);
    }

    /**
     * Reads and checks the certificates before anything starts, so that a bad file stops the node with
     * a message naming it rather than leaving a port that cannot serve.
     */
    private void loadTls() throws TlsMaterial.Invalid {
        certificatePrincipals = CertificatePrincipals.of(config.broker());
        TlsSettings http = TlsSettings.http(config.broker());
        if (http.enabled()) {
            httpTlsMaterial = TlsMaterial.load(http);
            LOG.log(System.Logger.Level.INFO, "HTTPS with " + TlsMaterial.describe(httpTlsMaterial.certificate()));
        }
        TlsSettings bus = TlsSettings.bus(config.broker());
        if (bus.enabled()) {
            busTlsMaterial = TlsMaterial.load(bus);
            LOG.log(System.Logger.Level.INFO, "event bus mutual TLS with " + TlsMaterial.describe(busTlsMaterial.certificate()));
        }
    }

    /** Reads TLS client certificates' principals by {@code security.tls.principal.mapping.rules}. */
    public CertificatePrincipals certificatePrincipals() {
        return certificatePrincipals;
    }

    /** Whether the HTTP port speaks TLS (HTTPS and WSS). */
    public boolean httpsEnabled() {
        return httpTlsMaterial != null;
    }

    /**
     * Whether the last stop was clean, and from now on it is not: the marker goes, durably, before
     * the node acts, and comes back only at the end of a clean stop. A node without it (a crash,
     * power loss, an empty disk) tells the controller, which takes it out of the ISRs it shares
     * before it may lead (see {@code ControllerVerticle#fenceUncleanStart}).
     */
    private static boolean takeCleanShutdownMarker(java.nio.file.Path dataDir) throws IOException {
        java.nio.file.Path marker = dataDir.resolve(CLEAN_SHUTDOWN);
        boolean clean = java.nio.file.Files.deleteIfExists(marker);
        if (clean) {
            io.sluice.log.AtomicFiles.fsyncDirectory(dataDir);
        }
        return clean;
    }

    public String nodeId() {
        return nodeId;
    }

    /** This broker's lease from the controller. */
    public BrokerLease lease() {
        return lease;
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

    public MetadataCache metadata() {
        return metadata;
    }

    public ClusterMembership membership() {
        return membership;
    }

    /** The schema registry as this node serves it (validation looks schemas up here). */
    public SchemaRegistry registry() {
        return registry;
    }

    /** This node's partition replicas (tests read their logs directly). */
    public ReplicaManager replicas() {
        return replicas;
    }

    private Future<Void> boot(ClusterMetadata stored) {
        HazelcastClusterManager manager = new HazelcastClusterManager(HazelcastSetup.config(config, nodeId));
        // HTTP server metrics are Sluice's own (HttpServerMetrics: the same figures without a
        // meter lookup per request); Vert.x keeps the pools, the event bus and the JVM.
        MicrometerMetricsOptions metricsOptions = new MicrometerMetricsOptions().setEnabled(true)
                .setJvmMetricsEnabled(true)
                .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER);
        EventBusOptions bus = new EventBusOptions().setHost(config.clusterHost()).setPort(0);
        if (busTlsMaterial != null) {
            BusTls.apply(bus, TlsSettings.bus(config.broker()), busTlsMaterial);
        }
        VertxOptions options = new VertxOptions()
                .setEventBusOptions(bus)
                .setMetricsOptions(metricsOptions);
        // Netty's epoll transport where the platform has it (Linux; NIO elsewhere): each wake-up of
        // another event loop is one eventfd write, without the JDK selector's locks, which halves
        // the event loops' CPU per lone record here (BENCHMARKS.md).
        options.setPreferNativeTransport(config.broker().getBoolean("sluice.native.transport"));
        int loops = config.broker().getInt("sluice.event.loop.threads");
        eventLoops = loops > 0 ? loops : defaultEventLoops();
        options.setEventLoopPoolSize(eventLoops);
        return Vertx.builder().with(options).withClusterManager(manager)
                .withMetrics(new MicrometerMetricsFactory(metrics.registry()))
                .buildClustered()
                .compose(v -> {
                    vertx = v;
                    if (options.getPreferNativeTransport() && !v.isNativeTransportEnabled()) {
                        LOG.log(System.Logger.Level.INFO, "native transport unavailable, using NIO: " + v.unavailableNativeTransportCause());
                    }
                    BusCodecs.register(v.eventBus());
                    membership = new ClusterMembership(manager.getHazelcastInstance(), nodeId, config.clusterName(), locator);
                    metadata = new MetadataCache(v);
                    metadata.apply(stored);
                    security = Security.create(v, securitySettings, name -> metadata.current().user(name), certificatePrincipals,
                            clock);
                    // (On the thread that applies each version, before anything acts on it.)
                    metadata.onChange(m -> security.aclsChanged(m.acls()));
                    security.aclsChanged(metadata.current().acls());
                    MetadataStore store = new MetadataStore(config.dataDir());
                    MetadataSync sync = new MetadataSync(nodeId, store, metadata, locator);
                    controller = new ControllerClient(v, metadata, membership, locator, config.broker().getLong("sluice.request.timeout.ms"),
                            clock);
                    sync.pullWith(controller::fetchMetadata);
                    election = new ControllerElection(v, nodeId,
                            () -> new ControllerVerticle(nodeId, store, metadata, config.broker(), membership, quorum, locator, clock));
                    reachability = new BusReachability(membership);
                    BrokerHeartbeater heartbeater = new BrokerHeartbeater(nodeId, new java.security.SecureRandom().nextLong(),
                            !cleanStart, locator, metadata, lease, config.broker().getLong("broker.heartbeat.interval.ms"),
                            config.broker().getLong("broker.session.timeout.ms"), clock::monotonicNanos, reachability::verified);
                    return deploy(sync)
                            // (On every node, voter or not: the voter set may change while it runs.)
                            .compose(x -> deploy(new NodeEndpoint(nodeId, config.broker().getLong("sluice.request.timeout.ms"))))
                            .compose(x -> deploy(new ReplicaEndpoint(nodeId, tp -> replicas == null ? null : replicas.local(tp))))
                            .compose(x -> deploy(reachability))
                            .compose(x -> joinQuorum(sync))
                            .compose(x -> deploy(heartbeater))
                            .compose(x -> catchUp(sync))
                            .compose(x -> awaitLease(heartbeater))
                            .compose(x -> startServices())
                            .compose(x -> bootstrapUsers());
                });
    }

    /**
     * The voters' mutual TLS: the event bus's certificates and truststore (one node identity for
     * every link between nodes), or null when the bus has none.
     */
    private org.apache.ratis.grpc.GrpcTlsConfig quorumTls() throws Exception {
        if (busTlsMaterial == null) {
            return null;
        }
        javax.net.ssl.KeyManager[] keys = busTlsMaterial.keyCert().getKeyManagerFactory(vertx).getKeyManagers();
        javax.net.ssl.TrustManager[] trust = busTlsMaterial.trust().getTrustManagerFactory(vertx).getTrustManagers();
        return new org.apache.ratis.grpc.GrpcTlsConfig(keys[0], trust[0], true);
    }

    /**
     * Takes this node's place in the controller quorum ({@link QuorumBootstrap}): a voter starts its
     * quorum member, whose leadership runs the controller here; a broker only follows.
     */
    private Future<?> joinQuorum(MetadataSync sync) {
        return vertx.executeBlocking(() -> {
            quorumPlan = QuorumBootstrap.resolve(config, nodeId, membership.othersPresent());
            if (quorumPlan.isVoter()) {
                quorum = MetadataQuorum.start(quorumPlan, config.dataDir(), config.clusterName(),
                        QuorumSettings.of(config.broker()), quorumTls(), new MetadataQuorum.Listener() {
                            @Override
                            public void leaderChanged(String leader) {
                                locator.elected(leader);
                                election.leaderChanged(leader);
                            }

                            @Override
                            public void leaderReady() {
                                election.leaderReady();
                            }

                            @Override
                            public void committed(ClusterMetadata state) {
                                sync.committed(state);
                            }
                        });
            }
            return null;
        });
    }

    /** The quorum as this node takes part in it. */
    public QuorumPlan quorumPlan() {
        return quorumPlan;
    }

    /** This node's place in the quorum now, for {@code GET /cluster}. */
    public io.sluice.cluster.QuorumStatus quorumStatus() {
        List<String> voters = (quorum != null ? quorum.voters() : quorumPlan.voters()).stream()
                .map(io.sluice.quorum.Voter::toString).toList();
        return new io.sluice.cluster.QuorumStatus(quorum != null, voters, locator.epoch(), lease.remainingMs(),
                List.copyOf(reachability.unreachable()));
    }

    /** This voter's quorum member, or null on a broker. */
    public MetadataQuorum quorum() {
        return quorum;
    }

    /**
     * Waits (up to a session) for the first lease, so that a node that has started is ready; one that
     * gets none in that time starts anyway, not ready, and keeps asking.
     */
    private Future<?> awaitLease(BrokerHeartbeater heartbeater) {
        long waitMs = 2 * config.broker().getLong("broker.session.timeout.ms");
        return heartbeater.firstLease().timeout(waitMs, java.util.concurrent.TimeUnit.MILLISECONDS)
                .recover(e -> {
                    LOG.log(System.Logger.Level.WARNING, "node " + nodeId + " holds no lease from a controller yet: it is not ready");
                    return Future.succeededFuture();
                });
    }

    /** A node that does not run the controller takes the controller's metadata before acting on any. */
    private Future<?> catchUp(MetadataSync sync) {
        if (membership.isController()) {
            return Future.succeededFuture();
        }
        String controllerId = membership.controllerId();
        return controller.fetchMetadata(nodeId).compose(m -> sync.adopt(m, controllerId));
    }

    private Future<Void> startServices() {
        PartitionClient client = new PartitionClient(vertx, metadata, clock);
        ReplicationSettings replication = ReplicationSettings.of(config.broker(), (tp, leader, epoch, isr) ->
                controller.execute(new ControllerCommand.AlterPartition(tp, leader, epoch, isr)).mapEmpty(), lease);
        replicas = new ReplicaManager(nodeId, logs, metadata, config.broker(), metrics.registry(), replication, clock);
        client.preferLocal(nodeId, replicas::local);
        client.watch(membership);
        ResourceMetrics.bind(metrics.registry(), logs.openSegments(), () -> replicas.locals().size());
        ProduceService produce = new ProduceService(client, config.broker(), metrics, clock);
        ProduceParser parser = new ProduceParser();
        GroupAdmin groupAdmin = new GroupAdmin(metadata, client, metrics);
        GroupCoordinatorVerticle coordinator = new GroupCoordinatorVerticle(nodeId, metadata,
                new OffsetsStore(vertx, metadata, client, produce, clock), groupAdmin, config.broker().getLong("sluice.group.lag.refresh.ms"), lease,
                security.access(), clock);
        Quotas quotas = new Quotas(quotaSettings, metrics.registry(), clock::monotonicMillis);
        if (quotas.anyRate()) {
            // (Kafka expires idle quota sensors the same way: their map and metrics stay bounded.)
            long every = Math.max(1000, Math.min(60_000, quotas.settings().sensorExpiryMs() / 4));
            vertx.setPeriodic(every, id -> quotas.expireIdle(clock.monotonicMillis()));
        }
        long requestTimeoutMs = config.broker().getLong("sluice.request.timeout.ms");
        RegistryState registryState = new RegistryState(SchemaProviders.standard());
        SchemaRegistryVerticle registryNode = new SchemaRegistryVerticle(nodeId, metadata, client, produce, registryState,
                requestTimeoutMs, clock);
        registry = new SchemaRegistry(vertx, nodeId, metadata, client, controller, registryState, registryNode,
                config.broker().getLong("schema.registry.leader.wait.ms"), requestTimeoutMs, clock);
        metrics.gauge("sluice.schema.registry.subjects", "Subjects with a live version in this node's copy of _schemas",
                io.micrometer.core.instrument.Tags.empty(), registryState::liveSubjectCount);
        metrics.gauge("sluice.schema.registry.schemas", "Schemas (distinct ids) in this node's copy of _schemas",
                io.micrometer.core.instrument.Tags.empty(), registryState::schemaCount);
        RecordSchemas schemas = new RecordSchemas(new RegistryLookup(registry), metrics);
        produce.validateWith(schemas.validator());
        Api api = new Api(vertx, nodeId, config.broker(), metadata, client, produce, controller, membership,
                replicas, metrics, parser, new GroupClient(vertx, metadata, controller, clock), this::quorumStatus, clock, security,
                quotas, registry, schemas);
        return deploy(replicas).compose(x -> deploy(coordinator)).compose(x -> deploy(registryNode)).compose(x -> startHttp(api));
    }

    /**
     * Creates the users of {@code security.bootstrap.users} that do not exist yet, through the
     * controller (every node given the setting asks; the first to reach the controller creates, the
     * others change nothing). A failure is logged, not fatal: the node serves, and a later start
     * tries again.
     */
    private Future<Void> bootstrapUsers() {
        List<Future<Long>> created = new ArrayList<>();
        for (SecuritySettings.BootstrapUser u : securitySettings.bootstrapUsers()) {
            if (metadata.current().user(u.name()) != null) {
                continue;
            }
            char[] password = u.password().clone();
            created.add(vertx.executeBlocking(() -> io.sluice.security.ScramCredentials.newUser(u.name(), password), false)
                    .compose(user -> controller.execute(new ControllerCommand.AlterUserScramCredentials(user, true)))
                    .onSuccess(v -> LOG.log(System.Logger.Level.INFO, "bootstrap user " + u.name() + " is present"))
                    .onFailure(e -> LOG.log(System.Logger.Level.WARNING, "bootstrap user " + u.name()
                            + " could not be created: " + e.getMessage())));
        }
        return Future.join(created).<Void>mapEmpty().recover(e -> Future.succeededFuture());
    }

    private Future<String> deploy(io.vertx.core.Deployable verticle) {
        return vertx.deployVerticle(verticle).onSuccess(deployments::add);
    }

    /**
     * One event loop per core (at least 2), not Vert.x's default of two per core: a node's loops
     * never block, and each loop beyond the cores is one more runnable thread that a request's
     * hand-over between loops (its connection's loop to its partition's and back) has to wake
     * and wait for. On the 2-core benchmark machine, 2 loops against 4, steady state: single-record
     * POSTs 13.2 against 18.1-18.6 us of node CPU each (70,600 against 54,600-57,900 rec/s); three
     * replicated nodes on the machine 418k/562k and 438k/728k against 348k/513k and 447k/637k rec/s
     * (BENCHMARKS.md). {@code sluice.event.loop.threads} overrides it.
     */
    public static int defaultEventLoops() {
        return Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    /**
     * One server per event loop, all on one port: Vert.x shares a port between servers of the
     * same host and requested port, port 0 included (they then share one random port).
     */
    private Future<Void> startHttp(Api api) {
        int instances = Math.max(1, Math.min(eventLoops, 4));
        List<Future<String>> deployed = new ArrayList<>();
        List<HttpServerVerticle> servers = new ArrayList<>();
        if (httpTlsMaterial != null) {
            httpTls = new CertificateReloader(vertx, TlsSettings.http(config.broker()), httpTlsMaterial).start();
        }
        for (int i = 0; i < instances; i++) {
            HttpServerVerticle server = new HttpServerVerticle(api, config.httpHost(), config.httpPort(), httpTls);
            servers.add(server);
            deployed.add(vertx.deployVerticle(server).onSuccess(httpDeployments::add));
        }
        return Future.all(deployed).<Void>mapEmpty().onSuccess(v -> {
            httpPort = servers.get(0).actualPort();
            String host = config.httpHost().equals("0.0.0.0") ? config.clusterHost() : config.httpHost();
            membership.publishEndpoint(host, httpPort);
            LOG.log(System.Logger.Level.INFO, "node " + nodeId + " serving " + (httpTls != null ? "https" : "http") + "://"
                    + config.httpHost() + ":" + httpPort);
        });
    }

    /**
     * Stops gracefully: leaderships are handed to other replicas first (so producers fail over
     * without errors), then no new requests, partitions flushed and closed cleanly (the next
     * start skips recovery), and the cluster is left.
     */
    public Future<Void> stop() {
        if (vertx == null) {
            return Future.succeededFuture();
        }
        LOG.log(System.Logger.Level.INFO, "node " + nodeId + " stopping: handing over leaderships");
        return handOverLeaderships()
                .transform(ar -> {
                    LOG.log(System.Logger.Level.INFO, "node " + nodeId + " stopping: closing HTTP");
                    if (httpTls != null) {
                        httpTls.stop();
                    }
                    List<Future<?>> http = new ArrayList<>();
                    for (String id : httpDeployments) {
                        http.add(vertx.undeploy(id));
                    }
                    return Future.join(http);
                })
                .transform(ar -> election.stop())
                .transform(ar -> {
                    LOG.log(System.Logger.Level.INFO, "node " + nodeId + " stopping: closing partitions");
                    return undeployAll();
                })
                .transform(ar -> {
                    LOG.log(System.Logger.Level.INFO, "node " + nodeId + " stopping: leaving the quorum and the cluster");
                    return vertx.executeBlocking(() -> {
                        closeQuorum();
                        return null;
                    });
                })
                .transform(ar -> vertx.close())
                // The log threads outlive Vert.x: any verticle it still had to undeploy closed its log on them.
                .transform(ar -> {
                    logs.close();
                    if (ar.succeeded()) {
                        try {
                            io.sluice.log.AtomicFiles.write(config.dataDir().resolve(CLEAN_SHUTDOWN), new byte[0]);
                        } catch (IOException e) {
                            LOG.log(System.Logger.Level.WARNING, "clean-shutdown marker not written: " + e.getMessage());
                        }
                    }
                    return ar.succeeded() ? Future.succeededFuture() : Future.failedFuture(ar.cause());
                });
    }

    /** Asks the controller to move this node's leaderships; gives up after 10 s (the node stops anyway). */
    private Future<?> handOverLeaderships() {
        if (membership.ids().size() < 2) {
            return Future.succeededFuture();
        }
        io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
        long timer = vertx.setTimer(10_000, id -> done.tryFail("timed out"));
        controller.execute(new ControllerCommand.ControlledShutdown(nodeId)).onComplete(ar -> {
            vertx.cancelTimer(timer);
            if (ar.succeeded()) {
                done.tryComplete();
            } else {
                done.tryFail(ar.cause());
            }
        });
        return done.future().onFailure(e -> LOG.log(System.Logger.Level.WARNING, "leaderships not handed over: " + e.getMessage()));
    }

    private void closeQuorum() {
        if (quorum != null) {
            try {
                quorum.close();
            } catch (java.io.IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "quorum member did not close cleanly: " + e.getMessage());
            }
        }
    }

    private Future<?> undeployAll() {
        Future<?> chain = Future.succeededFuture();
        for (int i = deployments.size() - 1; i >= 0; i--) {
            String id = deployments.get(i);
            chain = chain.transform(ar -> vertx.undeploy(id));
        }
        return chain;
    }
}
