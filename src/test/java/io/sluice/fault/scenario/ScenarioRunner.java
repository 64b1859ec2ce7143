package io.sluice.fault.scenario;

import io.sluice.fault.checker.CheckResult;
import io.sluice.fault.checker.FinalLogs;
import io.sluice.fault.checker.QueueChecker;
import io.sluice.fault.client.NodeHttp;
import io.sluice.fault.history.History;
import io.sluice.fault.history.Op;
import io.sluice.fault.node.ClusterOptions;
import io.sluice.fault.node.DataDirProvider;
import io.sluice.fault.node.FaultCluster;
import io.sluice.fault.node.FaultCluster.Polls;
import io.sluice.fault.node.Voters;
import io.sluice.fault.workload.Values;
import io.sluice.fault.workload.Workload;
import io.sluice.log.LogTestSupport;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Runs one {@link ScenarioSpec} end to end, Jepsen's way: start the cluster, create the topic, run
 * the workload, apply the schedule's faults (measuring each), heal everything, stop the workload,
 * wait for a full ISR, read every partition to its end, stop the nodes, read every replica's log
 * from its files, and check. Writes {@code history.jsonl}, {@code result.txt} and the node logs to
 * the run's directory. Every node and namespace is gone when it returns, whatever happened.
 */
public final class ScenarioRunner {
    public static final String TOPIC = "fq";
    static final Duration START_TIMEOUT = Duration.ofSeconds(150);
    static final Duration ISR_TIMEOUT = Duration.ofSeconds(60);

    private final ScenarioSpec spec;
    private final Voters voters;
    private final DataDirProvider dataDirs;
    private final Path dir;
    private final History history = new History();
    private final List<String> notes = new ArrayList<>();
    private final FaultContext.Findings findings = new FaultContext.Findings();

    public ScenarioRunner(ScenarioSpec spec, Voters voters, DataDirProvider dataDirs, Path outRoot) {
        this.spec = spec;
        this.voters = voters;
        this.dataDirs = dataDirs;
        this.dir = outRoot.resolve(spec.name() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    /** A step applied: when, what, and the side expected to take writes. */
    private record Applied(Step step, Fault.Applied what, long atNanos, long healedAtNanos, long healToIsrMs) {
    }

    public ScenarioResult run() throws Exception {
        System.out.println("[fault] scenario " + spec.name() + " (seed " + spec.seed() + "): " + spec.steps());
        ClusterOptions options = new ClusterOptions(spec.nodes(), ClusterOptions.merge(ClusterOptions.DEFAULT_SETTINGS, spec.settings()),
                voters, spec.needsWallClocks(), dataDirs);
        try (FaultCluster cluster = FaultCluster.create(options, dir)) {
            try {
                return runOn(cluster);
            } catch (Throwable t) {
                cluster.printLogTails(40);
                throw t;
            } finally {
                history.write(dir.resolve("history.jsonl"));
            }
        }
    }

    private ScenarioResult runOn(FaultCluster cluster) throws Exception {
        cluster.startAll(START_TIMEOUT);
        createTopic(cluster);
        FaultContext ctx = new FaultContext(cluster, TOPIC, history, new Random(spec.seed()), findings);
        Workload workload = new Workload(history, cluster, TOPIC, spec.partitions(), spec.pauseMs());
        workload.start();
        List<Applied> applied = new ArrayList<>();
        try {
            awaitProgress(spec.warmup());
            for (Step step : spec.steps()) {
                applied.add(runStep(ctx, step));
            }
        } finally {
            healEverything(cluster);
            workload.stop();
        }
        settle(cluster);
        finalRead(cluster);
        Map<Integer, Map<Integer, Long>> hw = highWatermarks(cluster);
        cluster.stopAll(30);
        FinalLogs logs = finalLogs(cluster, hw);
        CheckResult check = QueueChecker.check(history.ops(), logs, spec.partitions());
        List<StepTiming> timings = timings(applied);
        List<String> allNotes = new ArrayList<>(findings.notes());
        allNotes.addAll(notes);
        ScenarioResult result = new ScenarioResult(spec.name(), voters.enabled(), check, timings, allNotes, findings.violations(), dir);
        String report = Report.of(result);
        System.out.println(report);
        Files.writeString(dir.resolve("result.txt"), report);
        return result;
    }

    private void createTopic(FaultCluster cluster) {
        String body = new JsonObject().put("name", TOPIC).put("partitions", spec.partitions()).put("replication_factor", spec.rf())
                .put("configs", new JsonObject().put("min.insync.replicas", spec.minIsr())).encode();
        Polls.until("topic " + TOPIC + " created", Duration.ofSeconds(60), () -> {
            NodeHttp.Reply r = cluster.http(0).post("/topics", body, Duration.ofSeconds(10));
            return r.is(201) || r.is(409);
        });
        Polls.until("topic " + TOPIC + " with a full ISR everywhere", ISR_TIMEOUT, () -> cluster.fullIsr(TOPIC, spec.rf(), false));
    }

    /** Waits out the warm-up, then until every partition has acknowledged writes (the workload really runs). */
    private void awaitProgress(Duration warmup) throws InterruptedException {
        Thread.sleep(warmup.toMillis());   // a planned quiet period, not a condition
        Polls.until("acknowledged writes in every partition", Duration.ofSeconds(60), () -> {
            boolean[] seen = new boolean[spec.partitions()];
            for (Op op : history.ops()) {
                if (op.is(Op.Type.OK, Op.F.SEND)) {
                    seen[op.partition()] = true;
                }
            }
            for (boolean s : seen) {
                if (!s) {
                    return false;
                }
            }
            return true;
        });
    }

    private Applied runStep(FaultContext ctx, Step step) throws Exception {
        Fault.Applied what = step.fault().apply(ctx);
        // Timed from when the fault is fully in place: applying a cut to five namespaces takes a
        // moment, and writes that complete meanwhile prove nothing about recovery.
        long at = System.nanoTime();
        history.nemesis("start " + step.fault().name() + ": " + what.description());
        System.out.println("[fault] " + what.description() + " for " + step.hold().toSeconds() + " s");
        Thread.sleep(step.hold().toMillis());   // the fault's planned duration
        long healedAt = System.nanoTime();
        step.fault().heal(ctx, what);
        history.nemesis("heal " + step.fault().name());
        boolean full = Polls.poll(ISR_TIMEOUT, () -> ctx.cluster().fullIsr(TOPIC, spec.rf(), false));
        long healToIsr = full ? (System.nanoTime() - healedAt) / 1_000_000 : -1;
        if (!full) {
            notes.add("after " + what.description() + ": no full ISR within " + ISR_TIMEOUT.toSeconds() + " s of the heal");
        }
        System.out.println("[fault] healed " + step.fault().name() + "; full ISR " + (full ? "after " + healToIsr + " ms" : "NOT reached"));
        Thread.sleep(step.quiet().toMillis());   // the schedule's quiet period
        return new Applied(step, what, at, healedAt, healToIsr);
    }

    /** Whatever the schedule left: cuts healed, frozen nodes woken, dead nodes restarted, clocks reset. */
    private void healEverything(FaultCluster cluster) throws Exception {
        cluster.network().heal();
        for (int i = 0; i < cluster.size(); i++) {
            var n = cluster.node(i);
            if (n.isPaused()) {
                n.resume();
            }
            if (n.clock() != null) {
                n.clock().reset();
            }
            if (!n.isAlive()) {
                cluster.restart(i, START_TIMEOUT);
            }
        }
    }

    /** Waits for a full ISR with every replica caught up; notes it when that never happens (the checker still runs). */
    private void settle(FaultCluster cluster) {
        if (!Polls.poll(ISR_TIMEOUT, () -> cluster.fullIsr(TOPIC, spec.rf(), true))) {
            notes.add("the cluster did not settle (full ISR, high watermark = log end on every node) within "
                    + ISR_TIMEOUT.toSeconds() + " s of the end; views: " + views(cluster));
        }
    }

    private String views(FaultCluster cluster) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cluster.size(); i++) {
            b.append("\n  n").append(i).append(": ").append(cluster.partitionsSeenBy(i, TOPIC));
        }
        return b.toString();
    }

    /** Reads every partition from offset 0 to its high watermark through any node that answers. */
    private void finalRead(FaultCluster cluster) {
        for (int p = 0; p < spec.partitions(); p++) {
            int partition = p;
            boolean done = Polls.poll(ISR_TIMEOUT, () -> {
                for (int i = 0; i < cluster.size(); i++) {
                    List<Op.Read> reads = readAll(cluster.http(i), partition);
                    if (reads != null) {
                        history.add(Op.Type.OK, Op.F.FINAL_READ, "final", i, partition, null, 0, reads, null, -1, -1, null);
                        return true;
                    }
                }
                return false;
            });
            if (!done) {
                notes.add("no final read of partition " + p + " succeeded");
            }
        }
    }

    /** Every record of a partition up to the high watermark the reading node reports, or null on any failure. */
    private List<Op.Read> readAll(NodeHttp http, int p) {
        List<Op.Read> out = new ArrayList<>();
        long offset = 0;
        while (true) {
            NodeHttp.Reply r = http.get("/topics/" + TOPIC + "/partitions/" + p + "/records?offset=" + offset
                    + "&max_records=1000&timeout_ms=0", Duration.ofSeconds(10));
            if (!r.is(200)) {
                return null;
            }
            JsonObject j = new JsonObject(r.body());
            JsonArray records = j.getJsonArray("records", new JsonArray());
            for (Object o : records) {
                JsonObject rec = (JsonObject) o;
                out.add(new Op.Read(p, rec.getLong("offset"), Values.of(rec.getValue("value"))));
            }
            long hw = j.getLong("high_watermark", -1L);
            offset = j.getLong("next_offset", offset + records.size());
            if (records.isEmpty() || offset >= hw) {
                return offset >= hw ? out : null;
            }
        }
    }

    /** node → partition → that replica's high watermark, from {@code /replicas}, before the nodes stop. */
    private Map<Integer, Map<Integer, Long>> highWatermarks(FaultCluster cluster) {
        Map<Integer, Map<Integer, Long>> out = new HashMap<>();
        for (int i = 0; i < cluster.size(); i++) {
            JsonArray replicas = cluster.replicasOf(i);
            if (replicas == null) {
                notes.add("n" + i + " did not report its replicas: its final log is not compared");
                continue;
            }
            for (Object o : replicas) {
                JsonObject r = (JsonObject) o;
                if (TOPIC.equals(r.getString("topic")) && r.getLong("high_watermark") != null) {
                    out.computeIfAbsent(i, k -> new HashMap<>()).put(r.getInteger("partition"), r.getLong("high_watermark"));
                }
            }
        }
        return out;
    }

    /** Every replica's log from its files, cut at the high watermark it reported. */
    private FinalLogs finalLogs(FaultCluster cluster, Map<Integer, Map<Integer, Long>> hw) throws Exception {
        FinalLogs logs = new FinalLogs();
        for (int i = 0; i < cluster.size(); i++) {
            for (Map.Entry<Integer, Long> e : hw.getOrDefault(i, Map.of()).entrySet()) {
                List<Op.Read> records = new ArrayList<>();
                for (LogTestSupport.Rec rec : cluster.replicaLog(i, TOPIC, e.getKey())) {
                    if (rec.offset() < e.getValue()) {
                        records.add(new Op.Read(e.getKey(), rec.offset(), Values.fromStored(rec.value())));
                    }
                }
                logs.put(e.getKey(), i, records);
            }
        }
        return logs;
    }

    /** Per step: majority recovery from the history, heal → full ISR as measured. */
    private List<StepTiming> timings(List<Applied> applied) {
        List<Op> ops = history.ops();
        Set<String> survived = new HashSet<>();
        for (Op op : ops) {
            if (op.is(Op.Type.OK, Op.F.FINAL_READ)) {
                op.reads().forEach(r -> survived.add(r.value()));
            }
        }
        Map<String, Long> invokedAt = new HashMap<>();
        Map<Long, Long> invokeOf = new HashMap<>();   // ok op index → its invoke time
        for (Op op : ops) {
            if (op.f() == Op.F.SEND && op.type() == Op.Type.INVOKE) {
                invokedAt.put(op.process(), op.time());
            } else if (op.is(Op.Type.OK, Op.F.SEND)) {
                invokeOf.put(op.index(), invokedAt.get(op.process()));
            }
        }
        List<StepTiming> out = new ArrayList<>();
        for (Applied a : applied) {
            long at = history.at(a.atNanos());
            long until = history.at(a.healedAtNanos());
            Set<Integer> majority = a.what().majority();
            long worst = 0;
            for (int p = 0; p < spec.partitions() && worst >= 0; p++) {
                long first = -1;
                for (Op op : ops) {
                    if (op.is(Op.Type.OK, Op.F.SEND) && op.partition() == p && majority.contains(op.node())
                            && invokeOf.get(op.index()) >= at && op.time() <= until && survived.contains(op.value())) {
                        first = op.time();
                        break;
                    }
                }
                worst = first < 0 ? -1 : Math.max(worst, (first - at) / 1_000_000);
            }
            out.add(new StepTiming(a.step().fault().name(), a.what().description(), worst, a.healToIsrMs()));
        }
        return out;
    }
}
