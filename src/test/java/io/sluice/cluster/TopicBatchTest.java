package io.sluice.cluster;

import io.sluice.bus.ControllerCommand;
import io.sluice.bus.ControllerCommand.CreateTopics;
import io.sluice.bus.ControllerReply;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.config.BrokerSettings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Topic commands that wait together are decided one after another, each on the metadata the ones
 * before it left, and commit as one version; a refused command changes nothing and the others go on.
 */
class TopicBatchTest {
    private final TopicCommands commands = new TopicCommands(BrokerSettings.defaults());
    private final List<String> nodes = List.of("n1");
    private final ClusterMetadata base = new ClusterMetadata(3, 10, Map.of());

    private static CreateTopics create(String name, int partitions) {
        return new CreateTopics(name, partitions, 1, Map.of(), false);
    }

    @Test
    void commandsDecidedTogetherCommitAsOneVersionAndEachSeesTheOnesBefore() {
        TopicCommands.Batch batch = commands.decideAll(base, nodes, List.of(
                create("a", 2), create("b", 3), new ControllerCommand.CreatePartitions("a", 4),
                new ControllerCommand.DeleteTopics("b")));

        ClusterMetadata next = batch.next();
        assertNotNull(next);
        assertEquals(14, next.version(), "one version step per change, committed together");
        assertEquals(3, next.controllerEpoch());
        assertEquals(4, next.topic("a").partitionCount(), "the partitions added to the topic created before them");
        assertNull(next.topic("b"), "deleted after it was created, in the same batch");
        List<Long> versions = batch.outcomes().stream().map(o -> ((ControllerReply.Committed) o.reply()).metadataVersion()).toList();
        assertEquals(List.of(11L, 12L, 13L, 14L), versions, "each sender waits for the version its change is in");
    }

    @Test
    void aRefusedCommandChangesNothingAndTheOthersGoOn() {
        TopicCommands.Batch batch = commands.decideAll(base, nodes, List.of(
                create("a", 1), create("a", 1), create("bad name!", 1),
                new ControllerCommand.IncrementalAlterConfigs("a", Map.of("retention.ms", "soon")), create("c", 1)));

        assertEquals(12, batch.next().version(), "two topics created, nothing else");
        assertEquals(List.of("a", "c"), List.copyOf(batch.next().topics().keySet()));
        assertNull(batch.outcomes().get(0).error());
        assertEquals(ErrorCode.TOPIC_EXISTS, code(batch.outcomes().get(1)), "exists because the first created it");
        assertEquals(ErrorCode.INVALID_TOPIC, code(batch.outcomes().get(2)));
        assertEquals(ErrorCode.INVALID_CONFIG, code(batch.outcomes().get(3)));
        assertEquals(new ControllerReply.Committed(12), batch.outcomes().get(4).reply());
    }

    @Test
    void aBatchThatChangesNothingHasNothingToCommit() {
        ClusterMetadata withOffsets = commands.decideAll(base, nodes, List.of(new ControllerCommand.EnsureOffsetsTopic())).next();
        TopicCommands.Batch batch = commands.decideAll(withOffsets, nodes, List.of(
                new ControllerCommand.EnsureOffsetsTopic(), new ControllerCommand.DeleteTopics("missing")));
        assertNull(batch.next());
        assertEquals(new ControllerReply.Committed(withOffsets.version()), batch.outcomes().get(0).reply());
        assertEquals(ErrorCode.UNKNOWN_TOPIC, code(batch.outcomes().get(1)));
    }

    private static ErrorCode code(TopicCommands.Outcome o) {
        assertNull(o.reply());
        return assertInstanceOf(SluiceException.class, o.error()).code();
    }

    @Test
    void onlyTopicCommandsAreBatched() {
        assertSame(true, TopicCommands.isTopicCommand(create("a", 1)));
        assertSame(false, TopicCommands.isTopicCommand(new ControllerCommand.Rebalance()));
        assertSame(false, TopicCommands.isTopicCommand(new ControllerCommand.GetMetadata(null)));
    }
}
