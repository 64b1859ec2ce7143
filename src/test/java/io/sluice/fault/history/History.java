package io.sluice.fault.history;

import io.vertx.core.json.JsonObject;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The shared, append-only record of everything every client did, with monotonic timestamps
 * relative to its creation. Appends are serialized, so indexes follow the order of the clock
 * readings. Written as JSONL (one {@link Op} a line) into the run's output directory and readable
 * back for an offline check.
 */
public final class History {
    private final long origin = System.nanoTime();
    private final List<Op> ops = new ArrayList<>();

    /** Nanoseconds since this history began. */
    public long now() {
        return System.nanoTime() - origin;
    }

    /** Converts a {@link System#nanoTime()} reading to this history's time base. */
    public long at(long nanoTime) {
        return nanoTime - origin;
    }

    /** Appends an event stamped now; returns it. */
    public synchronized Op add(Op.Type type, Op.F f, String process, int node, int partition, String value, long offset,
                               List<Op.Read> reads, Map<Integer, Long> offsets, int session, int generation, String error) {
        Op op = new Op(ops.size(), now(), type, f, process, node, partition, value, offset,
                reads == null ? List.of() : List.copyOf(reads), offsets == null ? Map.of() : Map.copyOf(offsets),
                session, generation, error);
        ops.add(op);
        return op;
    }

    /** A nemesis event (a fault applied or healed). */
    public Op nemesis(String what) {
        return add(Op.Type.INFO, Op.F.NEMESIS, "nemesis", -1, -1, null, -1, null, null, -1, -1, what);
    }

    /** A copy of every event so far, in order. */
    public synchronized List<Op> ops() {
        return List.copyOf(ops);
    }

    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Op op : ops()) {
                w.write(op.toJson().encode());
                w.newLine();
            }
        }
    }

    public static List<Op> read(Path file) throws IOException {
        List<Op> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(Op.fromJson(new JsonObject(line)));
            }
        }
        return out;
    }
}
