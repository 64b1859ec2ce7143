package io.sluice.tools.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line the scripts rely on: each workload a subcommand with its own defaults and
 * {@code --help}, the old option names, the last of a repeated option winning, numbers with
 * underscores, and bad values refused as usage errors (exit code 2) before anything runs.
 */
class CommandLineTest {
    @Test
    void eachWorkloadHasItsOwnDefaults() {
        ProduceSingle single = assertInstanceOf(ProduceSingle.class, LoadTool.parse("produce-single"));
        assertEquals(200_000, single.load.records);
        assertEquals(32, single.load.connections);
        ProduceWs ws = assertInstanceOf(ProduceWs.class, LoadTool.parse("produce-ws"));
        assertEquals(1_000_000, ws.load.records);
        assertEquals(1, ws.load.connections);
        assertEquals(1000, ws.batching.batch);
        EndToEnd e2e = assertInstanceOf(EndToEnd.class, LoadTool.parse("e2e"));
        assertEquals(10_000, e2e.records);
        assertEquals("http://127.0.0.1:8080", e2e.target.url.toString());
        ConsumeWs consume = assertInstanceOf(ConsumeWs.class, LoadTool.parse("consume-ws"));
        assertEquals(1 << 20, consume.consuming.maxFrameBytes);
        ConsumeFanout fanout = assertInstanceOf(ConsumeFanout.class, LoadTool.parse("consume-fanout"));
        assertEquals(64 << 10, fanout.consuming.maxFrameBytes);
        assertEquals(1000, fanout.consumers);
        ConsumeIdle idle = assertInstanceOf(ConsumeIdle.class, LoadTool.parse("consume-idle"));
        assertEquals(10_000, idle.connections);
    }

    @Test
    void theLastOfARepeatedOptionWinsAndNumbersMayHoldUnderscores() {
        ProduceBatch batch = assertInstanceOf(ProduceBatch.class, LoadTool.parse("produce-batch",
                "--warmup-s", "3", "--records", "2_000_000", "--warmup-s", "25", "--topic-configs", "a=1,b=x=y"));
        assertEquals(25, batch.load.warmupSeconds);
        assertEquals(2_000_000, batch.load.records);
        assertEquals("1", batch.newTopic.configs.get("a"));
        assertEquals("x=y", batch.newTopic.configs.get("b"));
    }

    @Test
    void optionsOfAnotherWorkloadAreRefused() {
        assertThrows(CommandLine.ParameterException.class, () -> LoadTool.parse("consume-ws", "--acks", "1"));
        assertThrows(CommandLine.ParameterException.class, () -> LoadTool.parse("produce-single", "--batch", "10"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"produce-batch --records 0", "produce-ws --acks 2", "e2e --record-size 47", "e2e --via tcp",
            "e2e --url http://nohost", "produce-single --versus http://127.0.0.1:8090 --records 5 --slices 10", "nosuch", ""})
    void badCommandLinesExitWithTwoBeforeAnythingRuns(String line) {
        StringWriter err = new StringWriter();
        CommandLine cli = LoadTool.commandLine().setErr(new PrintWriter(err));
        assertEquals(2, cli.execute(line.isEmpty() ? new String[0] : line.split(" ")), err.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"produce-batch", "produce-ndjson", "produce-single", "produce-ws", "consume-ws",
            "consume-live", "consume-idle", "consume-fanout", "e2e", "ceiling-server"})
    void everyCommandHasHelp(String command) {
        StringWriter out = new StringWriter();
        CommandLine cli = LoadTool.commandLine().setOut(new PrintWriter(out));
        assertEquals(0, cli.execute(command, "--help"));
        assertTrue(out.toString().contains("Usage: sluice-load " + command), out.toString());
    }
}
