package io.sluice.quorum;

import io.sluice.cluster.ClusterMetadata;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.TimeDuration;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This voter's member of the controller quorum: an Apache Ratis server in the Raft group of the
 * configured voters, replicating the metadata log into a {@link MetadataStateMachine}. The Raft
 * leader is the controller; {@link #propose} commits a {@link MetadataDelta} once a majority of
 * the voters has it on disk (Ratis fsyncs its log and its term and vote before answering), and
 * only from the leader itself: a controller that lost its leadership gets a failure, never a
 * commit made by someone else on its behalf.
 *
 * <p>Storage: {@code <data-dir>/quorum/}, Ratis's own layout (term and vote, log segments, the
 * state machine's snapshots). The group id derives from the cluster name, so two clusters that
 * share hosts never mix their logs.
 */
public final class MetadataQuorum implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(MetadataQuorum.class.getName());

    private final RaftServer server;
    private final RaftGroupId groupId;
    private final RaftPeerId self;
    private final MetadataStateMachine stateMachine;
    private final ClientId clientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();
    /**
     * The one thread that hands requests to Ratis. Its "async" submission joins a future that waits
     * for the server's monitor, which Ratis holds through, among others, a removed leader's own
     * shutdown; called from an event loop, that stalled the loop and every verticle on it. Requests
     * queue here instead, and their callers' timeouts still run.
     */
    private final java.util.concurrent.ExecutorService submitter = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sluice-quorum-submit");
        t.setDaemon(true);
        return t;
    });
    private final long proposalTimeoutMs;

    private MetadataQuorum(RaftServer server, RaftGroupId groupId, RaftPeerId self, MetadataStateMachine stateMachine,
                           long proposalTimeoutMs) {
        this.server = server;
        this.groupId = groupId;
        this.self = self;
        this.stateMachine = stateMachine;
        this.proposalTimeoutMs = proposalTimeoutMs;
    }

    /** What the node hears from its quorum member: leadership as the Raft group decides it. */
    public interface Listener {
        /** {@code leader} leads the quorum now, or nobody (null) while an election runs. Any thread. */
        void leaderChanged(String leader);

        /** This voter leads and has applied the whole log before its term: it may act as controller. Any thread. */
        void leaderReady();

        /**
         * The metadata after an entry of the log was applied: what a majority committed, on this voter
         * whether or not it leads. Called on the quorum's apply thread, in log order; keep it short.
         */
        default void committed(ClusterMetadata state) {
        }
    }

    /**
     * Starts this node's quorum server.
     *
     * @param plan          the voters and this node's place among them (it must be a voter)
     * @param dataDir       the node's data directory; Ratis keeps its files under {@code quorum/}
     * @param clusterName   names the Raft group
     * @param settings      timeouts
     */
    public static MetadataQuorum start(QuorumPlan plan, Path dataDir, String clusterName, QuorumSettings settings,
                                       Listener listener) throws IOException {
        return start(plan, dataDir, clusterName, settings, null, listener);
    }

    /**
     * Starts this node's quorum server, speaking mutual TLS with the other voters when {@code tls} is
     * given: the metadata log carries users' credentials and decides every leadership, so a voter
     * accepts Raft messages only from peers whose certificate its truststore verifies (the same
     * node certificates as the event bus's; see {@code security.tls.BusTls}).
     *
     * @param tls the voters' mutual TLS, or null for plain gRPC (a private network)
     */
    public static MetadataQuorum start(QuorumPlan plan, Path dataDir, String clusterName, QuorumSettings settings,
                                       org.apache.ratis.grpc.GrpcTlsConfig tls, Listener listener) throws IOException {
        Voter me = plan.self();
        if (me == null) {
            throw new IllegalArgumentException("node is not a voter of " + plan.voters());
        }
        List<RaftPeer> peers = new ArrayList<>();
        for (Voter v : plan.voters()) {
            peers.add(RaftPeer.newBuilder().setId(v.id()).setAddress(v.address()).build());
        }
        RaftGroupId groupId = RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("sluice-metadata:" + clusterName)
                .getBytes(StandardCharsets.UTF_8)));
        RaftGroup group = RaftGroup.valueOf(groupId, peers);

        Path dir = dataDir.resolve("quorum");
        Files.createDirectories(dir);
        RaftProperties props = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(props, List.of(dir.toFile()));
        GrpcConfigKeys.Server.setHost(props, plan.bindHost());
        GrpcConfigKeys.Server.setPort(props, plan.bindPort());
        // A quorum of one has nobody to wait for: it elects itself after a short timeout (the quick start).
        long minMs = plan.voters().size() == 1 ? Math.min(settings.electionTimeoutMinMs(), 150) : settings.electionTimeoutMinMs();
        long maxMs = plan.voters().size() == 1 ? Math.min(settings.electionTimeoutMaxMs(), 300) : settings.electionTimeoutMaxMs();
        RaftServerConfigKeys.Rpc.setTimeoutMin(props, TimeDuration.valueOf(minMs, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(props, TimeDuration.valueOf(maxMs, TimeUnit.MILLISECONDS));
        // A leader that cannot hear from a majority steps down, so that a cut-off controller stops
        // looking like one (it could commit nothing anyway).
        RaftServerConfigKeys.LeaderElection.setLeaderStepDownWaitTime(props,
                TimeDuration.valueOf(maxMs * 2, TimeUnit.MILLISECONDS));
        // Reads confirm leadership with a round to the majority (Raft's ReadIndex): the controller
        // uses one to know that it still leads before it grants brokers their leases.
        RaftServerConfigKeys.Read.setOption(props, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(props, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(props, QuorumSettings.SNAPSHOT_THRESHOLD);
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(props, 2);
        // Small segments: the metadata log is small, and each voter preallocates its segment files.
        RaftServerConfigKeys.Log.setSegmentSizeMax(props, org.apache.ratis.util.SizeInBytes.valueOf("8MB"));
        RaftServerConfigKeys.Log.setPreallocatedSize(props, org.apache.ratis.util.SizeInBytes.valueOf("1MB"));
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(props, true);

        RaftPeerId self = RaftPeerId.valueOf(me.id());
        MetadataStateMachine sm = new MetadataStateMachine(new MetadataStateMachine.Events() {
            @Override
            public void leaderChanged(String leader) {
                listener.leaderChanged(leader);
            }

            @Override
            public void leaderReady() {
                listener.leaderReady();
            }

            @Override
            public void committed(ClusterMetadata state) {
                listener.committed(state);
            }
        });
        boolean formatted = hasStorage(dir);
        org.apache.ratis.conf.Parameters parameters = new org.apache.ratis.conf.Parameters();
        if (tls != null) {
            GrpcConfigKeys.TLS.setConf(parameters, tls);
            GrpcConfigKeys.Server.setTlsConf(parameters, tls);
            GrpcConfigKeys.Admin.setTlsConf(parameters, tls);
            GrpcConfigKeys.Client.setTlsConf(parameters, tls);
        }
        RaftServer server = RaftServer.newBuilder().setServerId(self).setGroup(group).setStateMachine(sm)
                .setProperties(props).setParameters(parameters)
                .setOption(formatted ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT)
                .build();
        server.start();
        LOG.log(System.Logger.Level.INFO, "quorum member " + me + " started (" + (formatted ? "recovered" : "new")
                + "), voters " + plan.voters());
        return new MetadataQuorum(server, groupId, self, sm, settings.proposalTimeoutMs());
    }

    private static boolean hasStorage(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.anyMatch(Files::isDirectory);
        }
    }

    /** This member's Raft division (for tests that need to hold its monitor). */
    org.apache.ratis.server.RaftServer.Division division() throws IOException {
        return server.getDivision(groupId);
    }

    private DivisionInfo info() throws IOException {
        return server.getDivision(groupId).getInfo();
    }

    /** Whether this voter leads and has applied everything committed before its term. */
    public boolean isReadyLeader() {
        try {
            DivisionInfo info = info();
            return info.isLeader() && info.isLeaderReady();
        } catch (IOException e) {
            return false;
        }
    }

    /** The Raft term this voter is in (the controller's term while it leads). */
    public long term() {
        try {
            return info().getCurrentTerm();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The leader as this voter knows it, or null. */
    public String leaderId() {
        try {
            RaftPeerId leader = info().getLeaderId();
            return leader == null ? null : leader.toString();
        } catch (IOException e) {
            return null;
        }
    }

    /** The metadata as of the last entry this voter applied. */
    public ClusterMetadata state() {
        return stateMachine.current();
    }

    /**
     * Commits {@code delta} through this voter, which must lead. Completes with true once a majority
     * has it and this voter applied it; false if it did not apply (stale); fails if this voter does
     * not lead, loses its leadership, or no majority answers within the proposal timeout.
     */
    public CompletableFuture<Boolean> propose(MetadataDelta delta) {
        Message message = Message.valueOf(org.apache.ratis.thirdparty.com.google.protobuf.ByteString.copyFrom(delta.toBytes()));
        return submit(request(message, RaftClientRequest.writeRequestType()), proposalTimeoutMs, "the quorum did not commit the change")
                .thenApply(r -> MetadataStateMachine.APPLIED.equals(r.getMessage().getContent().toStringUtf8()));
    }

    /**
     * Completes once a majority of the voters has confirmed, after this call, that this voter
     * still leads (a linearizable read: no log entry); fails otherwise.
     */
    public CompletableFuture<Void> confirmLeadership() {
        return submit(request(Message.EMPTY, RaftClientRequest.readRequestType()), proposalTimeoutMs, "leadership not confirmed")
                .thenApply(r -> null);
    }

    /**
     * Replaces the voters (Raft's joint consensus: the new voters catch up, then the new
     * configuration is committed by majorities of both). Completes once it is committed.
     */
    public CompletableFuture<Void> setVoters(List<Voter> voters, long timeoutMs) {
        List<RaftPeer> peers = new ArrayList<>();
        for (Voter v : voters) {
            peers.add(RaftPeer.newBuilder().setId(v.id()).setAddress(v.address()).build());
        }
        org.apache.ratis.protocol.SetConfigurationRequest request = new org.apache.ratis.protocol.SetConfigurationRequest(
                clientId, self, groupId, callIds.incrementAndGet(), peers);
        return succeeded(offTheCaller(() -> server.setConfigurationAsync(request)), timeoutMs,
                "the new voters were not committed").thenApply(r -> null);
    }

    /** A request to this voter itself (never forwarded: only a leader's own requests count). */
    private RaftClientRequest request(Message message, RaftClientRequest.Type type) {
        return RaftClientRequest.newBuilder().setClientId(clientId).setServerId(self).setGroupId(groupId)
                .setCallId(callIds.incrementAndGet()).setMessage(message).setType(type).setTimeoutMs(proposalTimeoutMs).build();
    }

    private CompletableFuture<RaftClientReply> submit(RaftClientRequest request, long timeoutMs, String failure) {
        return succeeded(offTheCaller(() -> server.submitClientRequestAsync(request)), timeoutMs, failure);
    }

    /** A Ratis submission, made on {@link #submitter}: never on the caller's (event-loop) thread. */
    private CompletableFuture<RaftClientReply> offTheCaller(Submission submission) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return submission.submit();
                } catch (IOException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }, submitter).thenCompose(reply -> reply);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            return CompletableFuture.failedFuture(new IOException("the quorum member is closed"));
        }
    }

    @FunctionalInterface
    private interface Submission {
        CompletableFuture<RaftClientReply> submit() throws IOException;
    }

    /** {@code reply}, failed with its exception (or {@code failure}) unless it succeeded within {@code timeoutMs}. */
    private static CompletableFuture<RaftClientReply> succeeded(CompletableFuture<RaftClientReply> reply, long timeoutMs,
                                                                String failure) {
        return reply.orTimeout(timeoutMs, TimeUnit.MILLISECONDS).thenApply(r -> {
            if (!r.isSuccess()) {
                throw new java.util.concurrent.CompletionException(r.getException() != null ? r.getException() : new IOException(failure));
            }
            return r;
        });
    }

    /** The voters of the configuration this member holds now. */
    public List<Voter> voters() {
        try {
            List<Voter> out = new ArrayList<>();
            for (RaftPeer p : server.getDivision(groupId).getRaftConf().getCurrentPeers()) {
                String address = p.getAddress();
                int colon = address.lastIndexOf(':');
                out.add(new Voter(p.getId().toString(), address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))));
            }
            out.sort(java.util.Comparator.comparing(Voter::id));
            return out;
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    @Override
    public void close() throws IOException {
        submitter.shutdownNow();
        server.close();
    }
}
