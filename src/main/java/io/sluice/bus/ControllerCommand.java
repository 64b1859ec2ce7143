package io.sluice.bus;

import io.sluice.security.AclBinding;
import io.sluice.security.AclFilter;
import io.sluice.security.ScramUser;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a node asks of the controller, one record per command, carried to it through the node's
 * door ({@code cluster.NodeEndpoint}) and answered with a {@link ControllerReply}. Names follow
 * Kafka's controller APIs. The records hold what was asked, already typed; what may be asked
 * (topic names, counts, configs) the controller decides, and refuses with a 4xx.
 *
 * <p>Every permitted record travels with {@link ControllerCommandCodec}, registered for each of
 * them by {@link BusCodecs}.
 */
public sealed interface ControllerCommand {
    /** For {@link CreateTopics#partitions} and {@link CreateTopics#replicationFactor}: the broker's default (as Kafka's -1). */
    int DEFAULT = -1;

    /** Calls the method of {@code handler} for this command's type. */
    <R> R accept(Handler<R> handler);

    /**
     * One method per command: whoever handles commands implements every one, checked by the
     * compiler (Java 17 has no pattern switch over a sealed type).
     */
    interface Handler<R> {
        R createTopics(CreateTopics command);

        R ensureOffsetsTopic(EnsureOffsetsTopic command);

        R ensureSchemasTopic(EnsureSchemasTopic command);

        R deleteTopics(DeleteTopics command);

        R createPartitions(CreatePartitions command);

        R incrementalAlterConfigs(IncrementalAlterConfigs command);

        R alterPartition(AlterPartition command);

        R controlledShutdown(ControlledShutdown command);

        R rebalance(Rebalance command);

        R getMetadata(GetMetadata command);

        R setVoters(SetVoters command);

        R alterUserScramCredentials(AlterUserScramCredentials command);

        R deleteUser(DeleteUser command);

        R createAcls(CreateAcls command);

        R deleteAcls(DeleteAcls command);
    }

    /**
     * Creates a topic (Kafka's CreateTopics). {@code configs} maps config names to their JSON
     * values as a client gave them; {@code internal} allows a name starting with {@code __}.
     */
    record CreateTopics(String name, int partitions, int replicationFactor, Map<String, Object> configs,
                        boolean internal) implements ControllerCommand {
        public CreateTopics {
            configs = copy(configs);
        }

        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.createTopics(this);
        }
    }

    /** Creates {@code __consumer_offsets} unless it exists (Kafka's group coordinator does so on first use). */
    record EnsureOffsetsTopic() implements ControllerCommand {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.ensureOffsetsTopic(this);
        }
    }

    /** Creates the schema registry's {@code _schemas} unless it exists (the registry does so on first use). */
    record EnsureSchemasTopic() implements ControllerCommand {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.ensureSchemasTopic(this);
        }
    }

    /** Deletes a topic (Kafka's DeleteTopics). */
    record DeleteTopics(String name) implements ControllerCommand {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.deleteTopics(this);
        }
    }

    /** Grows a topic to {@code count} partitions (Kafka's CreatePartitions). */
    record CreatePartitions(String name, int count) implements ControllerCommand {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.createPartitions(this);
        }
    }

    /**
     * Changes a topic's config overrides (Kafka's IncrementalAlterConfigs): each name to its new
     * JSON value, or to null to drop the override.
     */
    record IncrementalAlterConfigs(String name, Map<String, Object> changes) implements ControllerCommand {
        public IncrementalAlterConfigs {
            changes = copy(changes);
        }

        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.incrementalAlterConfigs(this);
        }
    }

    /**
     * A partition leader's new ISR (Kafka's AlterPartition), made in {@code leaderEpoch}: the
     * controller refuses it as stale when the epoch or the leader moved on.
     */
    record AlterPartition(TopicPartition partition, String leader, int leaderEpoch, List<String> isr)
            implements ControllerCommand {
        public AlterPartition {
            isr = List.copyOf(isr);
        }

        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.alterPartition(this);
        }
    }

    /** Node {@code nodeId} is stopping and hands over its leaderships (Kafka's ControlledShutdown). */
    record ControlledShutdown(String nodeId) implements ControllerCommand {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.controlledShutdown(this);
        }
    }

    /** Spreads replicas and preferred leaders evenly over the live nodes. */
    record Rebalance() implements ControllerCommand {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.rebalance(this);
        }
    }

    /**
     * The controller's metadata, for a node that is behind; {@code startingNode} (or null) is a node
     * that starts, which tells the controller it is no longer shutting down.
     */
    record GetMetadata(String startingNode) implements ControllerCommand {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.getMetadata(this);
        }
    }

    /** Changes the quorum's voters; {@code voters} as the flag gives them: {@code id@host:port,...}. */
    record SetVoters(String voters) implements ControllerCommand {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.setVoters(this);
        }
    }

    /**
     * Creates or replaces a user with its SCRAM credentials (Kafka's AlterUserScramCredentials,
     * an upsertion): the node that received the password derived them, so the controller and the
     * metadata never see a password. {@code onlyIfAbsent}: leave an existing user as it is (the
     * bootstrap users of {@code security.bootstrap.users}).
     */
    record AlterUserScramCredentials(ScramUser user, boolean onlyIfAbsent) implements ControllerCommand {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.alterUserScramCredentials(this);
        }
    }

    /** Deletes a user and its credentials; its ACLs stay, as in Kafka. */
    record DeleteUser(String name) implements ControllerCommand {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.deleteUser(this);
        }
    }

    /** Adds ACLs (Kafka's CreateAcls); one already present is left as it is. */
    record CreateAcls(List<AclBinding> acls) implements ControllerCommand {
        public CreateAcls {
            acls = List.copyOf(acls);
        }

        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.createAcls(this);
        }
    }

    /** Deletes every ACL that any of {@code filters} matches (Kafka's DeleteAcls); answered with {@link ControllerReply.AclsDeleted}. */
    record DeleteAcls(List<AclFilter> filters) implements ControllerCommand {
        public DeleteAcls {
            filters = List.copyOf(filters);
        }

        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.deleteAcls(this);
        }
    }

    /** An unmodifiable copy that keeps the order and allows null values (a dropped override). */
    private static Map<String, Object> copy(Map<String, Object> m) {
        return m == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }
}
