package io.sluice.quorum;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.cluster.ClusterMetadata;
import io.sluice.log.AtomicFiles;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.MD5FileUtil;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;

/**
 * The replicated state of the controller quorum: the cluster metadata as of the last entry of the
 * metadata log this voter applied. Every voter applies the same committed {@link MetadataDelta}s in
 * the same order, so all hold the same metadata at the same index; a delta that does not apply (it
 * was computed from an older version, by a controller that has since been deposed) changes nothing
 * and answers {@link #STALE}.
 *
 * <p>Snapshots: {@code <quorum-dir>/<group>/sm/snapshot.<term>_<index>}, the JSON of the metadata
 * (with Ratis's MD5 beside it), taken every {@code QuorumSettings#SNAPSHOT_THRESHOLD} entries and
 * installed on a voter that fell behind the leader's retained log.
 *
 * <p>Ratis calls {@code applyTransaction} from one thread, in log order; readers of
 * {@link #current()} on other threads see one consistent value through a volatile field.
 */
final class MetadataStateMachine extends BaseStateMachine {
    private static final System.Logger LOG = System.getLogger(MetadataStateMachine.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String APPLIED = "applied";
    static final String STALE = "stale";

    /** What a voter's quorum tells the rest of the node: leadership, as Ratis sees it. */
    interface Events {
        /** {@code leader} leads now (null while an election runs); any thread. */
        void leaderChanged(String leader);

        /** This voter leads and has applied every entry before its term's first: it may decide. */
        void leaderReady();

        /** An entry changed the metadata to {@code state}; on the apply thread, in log order. */
        void committed(ClusterMetadata state);
    }

    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final Events events;
    private volatile ClusterMetadata current = ClusterMetadata.EMPTY;

    MetadataStateMachine(Events events) {
        this.events = events;
    }

    ClusterMetadata current() {
        return current;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        load(storage.getLatestSnapshot());
    }

    @Override
    public void reinitialize() throws IOException {
        load(storage.loadLatestSnapshot());
    }

    private void load(SingleFileSnapshotInfo snapshot) throws IOException {
        if (snapshot == null) {
            return;
        }
        File file = snapshot.getFile().getPath().toFile();
        if (snapshot.getFile().getFileDigest() != null) {
            MD5FileUtil.verifySavedMD5(file, snapshot.getFile().getFileDigest());
        }
        current = JSON.readValue(Files.readAllBytes(file.toPath()), ClusterMetadata.class);
        setLastAppliedTermIndex(snapshot.getTermIndex());
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        String outcome;
        try {
            MetadataDelta delta = MetadataDelta.fromBytes(entry.getStateMachineLogEntry().getLogData().toByteArray());
            ClusterMetadata state = current;
            if (delta.appliesTo(state)) {
                current = delta.applyTo(state);
                outcome = APPLIED;
            } else {
                outcome = STALE;
            }
        } catch (IllegalArgumentException e) {
            // An entry this version cannot read must not stop the voter: it is skipped on every voter alike.
            LOG.log(System.Logger.Level.ERROR, "metadata log entry " + entry.getIndex() + " is unreadable: " + e.getMessage());
            outcome = STALE;
        }
        updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
        if (outcome.equals(APPLIED)) {
            try {
                events.committed(current);
            } catch (RuntimeException e) {
                // The node's copy catches up by its controller's publications; the log goes on regardless.
                LOG.log(System.Logger.Level.WARNING, "metadata " + current.version() + " could not be handed to the node", e);
            }
        }
        return CompletableFuture.completedFuture(Message.valueOf(outcome));
    }

    /** A confirmation of leadership ({@link MetadataQuorum#confirmLeadership}): answers the applied version. */
    @Override
    public CompletableFuture<Message> query(Message request) {
        return CompletableFuture.completedFuture(Message.valueOf(Long.toString(current.version())));
    }

    @Override
    public long takeSnapshot() throws IOException {
        // Taken on the apply thread (Ratis pauses applying while it snapshots), so state and index agree.
        ClusterMetadata state = current;
        TermIndex last = getLastAppliedTermIndex();
        if (last == null || last.getIndex() < 0) {
            return -1;
        }
        File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
        AtomicFiles.write(file.toPath(), JSON.writeValueAsBytes(state));
        MD5FileUtil.computeAndSaveMd5ForFile(file);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(
                new org.apache.ratis.server.storage.FileInfo(file.toPath(), MD5FileUtil.readStoredMd5ForFile(file)), last));
        return last.getIndex();
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId member, RaftPeerId leader) {
        events.leaderChanged(leader == null ? null : leader.toString());
    }

    @Override
    public void notifyLeaderReady() {
        events.leaderReady();
    }
}
