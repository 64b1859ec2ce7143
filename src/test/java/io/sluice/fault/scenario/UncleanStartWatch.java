package io.sluice.fault.scenario;

import io.sluice.fault.node.FaultCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Watches nodes through a power cut and their unclean restart, and judges README's "unclean start"
 * rule: a node that starts without its clean-shutdown marker leaves every ISR it shares and every
 * leadership before it gets a lease, and rejoins an ISR only by catching up.
 *
 * <p>From just before the cut until every victim is back in every ISR, a thread polls (every 100 ms)
 * the topic as a surviving node sees it ({@code GET /topics/{t}}: leader, leader epoch, ISR, and
 * the leader's high watermark) and each victim's own replicas ({@code GET /replicas}: its log end).
 * Per victim {@code v} and partition {@code p} whose ISR {@code v} shared with another replica at the
 * cut, the violations are:
 * <ol>
 *   <li>no node logged the controller's "{@code node v started without a clean stop before it}"
 *       after the cut;</li>
 *   <li>no leader of {@code p} logged "{@code p: v caught up; growing ISR}" after the cut: {@code v}
 *       never left the ISR, or came back without catching up;</li>
 *   <li>a view shows {@code v} leading {@code p} after a view showed it out of the ISR and before one
 *       shows it back in;</li>
 *   <li>when a view first shows {@code v} back in the ISR, {@code v}'s log end (polled after that
 *       view) is below the high watermark of the last view that showed it out. Sound whatever the
 *       timing: a leader adds a follower whose fetch offset reached its high watermark, the high
 *       watermark never goes back, and a follower's log end only grows once it fetches.</li>
 * </ol>
 * (1) and (2) are deterministic (log lines); (3) and (4) judge the views that the polls happened to
 * see. Also noted, not judged: whether the restart beat the broker session (the views showed
 * {@code v} out of the ISR only after the restart began: the dangerous case), how long {@code v} was
 * out, and {@code v}'s log end at its first answer against the high watermark at the cut (below it:
 * the cut took acknowledged records from {@code v}'s disk).
 */
final class UncleanStartWatch {
    private static final Duration POLL = Duration.ofMillis(100);

    /** One poll: the view of the partitions (null if no survivor answered) and each victim's log ends. */
    private record Tick(long atMs, JsonArray view, Map<Integer, Map<Integer, Long>> logEnds) {
    }

    private final FaultContext ctx;
    private final FaultCluster cluster;
    private final String topic;
    private final Set<Integer> victims;
    private final List<Integer> survivors = new ArrayList<>();
    private final long t0 = System.nanoTime();
    private final List<Tick> ticks = new ArrayList<>();
    private final long[] logMarks;
    private JsonArray atCut;
    private volatile long restartAtMs = -1;
    private volatile boolean stop;
    private Thread thread;

    UncleanStartWatch(FaultContext ctx, Set<Integer> victims) {
        this.ctx = ctx;
        this.cluster = ctx.cluster();
        this.topic = ctx.topic();
        this.victims = new TreeSet<>(victims);
        for (int i = 0; i < cluster.size(); i++) {
            if (!victims.contains(i)) {
                survivors.add(i);
            }
        }
        logMarks = new long[cluster.size()];
        for (int i = 0; i < cluster.size(); i++) {
            try {
                logMarks[i] = Files.size(cluster.node(i).logFile());
            } catch (IOException e) {
                logMarks[i] = 0;
            }
        }
    }

    /** Takes the view at the cut (polling until a survivor answers) and starts polling. */
    void start() {
        FaultCluster.Polls.until("a view of " + topic + " from a survivor", Duration.ofSeconds(30), () -> (atCut = view()) != null);
        thread = new Thread(this::loop, "unclean-start-watch");
        thread.setDaemon(true);
        thread.start();
    }

    /** The partitions of the topic as they were just before the cut. */
    JsonArray atCut() {
        return atCut;
    }

    void restarting() {
        restartAtMs = nowMs();
    }

    private long nowMs() {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private JsonArray view() {
        for (int s : survivors) {
            JsonArray parts = cluster.partitionsSeenBy(s, topic);
            if (parts != null) {
                return parts;
            }
        }
        return null;
    }

    private void loop() {
        while (!stop) {
            long at = nowMs();
            JsonArray view = view();
            Map<Integer, Map<Integer, Long>> ends = new HashMap<>();
            for (int v : victims) {
                if (!cluster.node(v).isServing()) {
                    continue;
                }
                JsonArray replicas = cluster.replicasOf(v);
                if (replicas == null) {
                    continue;
                }
                for (Object o : replicas) {
                    JsonObject r = (JsonObject) o;
                    if (topic.equals(r.getString("topic")) && r.getLong("log_end_offset") != null) {
                        ends.computeIfAbsent(v, k -> new HashMap<>()).put(r.getInteger("partition"), r.getLong("log_end_offset"));
                    }
                }
            }
            synchronized (ticks) {
                ticks.add(new Tick(at, view, ends));
            }
            try {
                Thread.sleep(POLL.toMillis());   // the polling period, not a condition
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Whether every victim is back in the ISR of every partition it has a replica of, in the latest view. */
    private boolean rejoined() {
        Tick last;
        synchronized (ticks) {
            last = ticks.isEmpty() ? null : ticks.get(ticks.size() - 1);
        }
        if (last == null || last.view() == null || last.atMs() < restartAtMs) {
            return false;
        }
        for (Object o : last.view()) {
            JsonObject p = (JsonObject) o;
            for (int v : victims) {
                String id = FaultCluster.nodeId(v);
                if (p.getJsonArray("replicas").contains(id) && (!p.getJsonArray("isr").contains(id) || p.getString("leader") == null)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Waits (up to {@code timeout}) for the victims to be back in every ISR, stops polling, judges, and reports to the context's findings. */
    void finish(Duration timeout) throws InterruptedException {
        boolean back = FaultCluster.Polls.poll(timeout, this::rejoined);
        // Every line of the leaders' "caught up" is written before the ISR change it asks for is
        // committed, so the logs hold it once the views show the victims back.
        stop = true;
        thread.join(10_000);
        List<Tick> seen;
        synchronized (ticks) {
            seen = List.copyOf(ticks);
        }
        if (!back) {
            ctx.findings().note("power cut " + victims + ": not every victim back in every ISR within " + timeout.toSeconds()
                    + " s of the restart; judged on what was seen");
        }
        for (int v : victims) {
            judge(v, seen, back);
        }
    }

    private void judge(int v, List<Tick> seen, boolean back) {
        String id = FaultCluster.nodeId(v);
        List<String> logs = newLogLines();
        String fenceLine = "node " + id + " started without a clean stop before it";
        if (logs.stream().noneMatch(l -> l.contains(fenceLine))) {
            ctx.findings().violation(id + " restarted after a power cut but no controller logged \"" + fenceLine + "\"");
        }
        StringBuilder note = new StringBuilder("power cut " + id + ":");
        for (Object o : atCut) {
            JsonObject before = (JsonObject) o;
            int p = before.getInteger("partition");
            if (!before.getJsonArray("replicas").contains(id)) {
                continue;
            }
            JsonArray isrBefore = before.getJsonArray("isr");
            boolean shared = isrBefore.contains(id) && isrBefore.size() > 1;
            String tp = topic + "-" + p;
            long hwAtCut = before.getLong("high_watermark", -1L);
            note.append(" [p").append(p).append(": ").append(id.equals(before.getString("leader")) ? "leader" : "follower")
                    .append(", ISR at cut ").append(isrBefore).append(", high watermark ").append(hwAtCut);
            Long firstEnd = null;
            for (Tick t : seen) {
                Long e = t.logEnds().getOrDefault(v, Map.of()).get(p);
                if (e != null && t.atMs() >= restartAtMs) {
                    firstEnd = e;
                    break;
                }
            }
            note.append(", log end at its first answer ").append(firstEnd == null ? "?" : firstEnd);
            if (!shared) {
                note.append(" (not a shared ISR: not judged)]");
                continue;
            }
            String caughtUp = tp + ": " + id + " caught up; growing ISR";
            if (back && logs.stream().noneMatch(l -> l.contains(caughtUp))) {
                ctx.findings().violation(id + " is back in the ISR of " + tp + " but no leader logged \"" + caughtUp
                        + "\" after the cut: it never left the ISR, or came back without catching up");
            }
            // The views: still named at the restart? when out, when back, led while out?
            long outAt = -1;
            long lastOutHw = -1;
            long backAt = -1;
            for (int i = 0; i < seen.size(); i++) {
                Tick t = seen.get(i);
                if (t.view() == null) {
                    continue;
                }
                JsonObject pv = t.view().getJsonObject(p);
                boolean inIsr = pv.getJsonArray("isr").contains(id);
                boolean leads = id.equals(pv.getString("leader"));
                if (outAt < 0) {
                    if (!inIsr && !leads) {
                        outAt = t.atMs();
                        lastOutHw = pv.getLong("high_watermark", -1L);
                    }
                    continue;
                }
                if (backAt >= 0) {
                    continue;
                }
                if (!inIsr) {
                    lastOutHw = Math.max(lastOutHw, pv.getLong("high_watermark", -1L));
                    if (leads) {
                        ctx.findings().violation(id + " leads " + tp + " while out of its ISR (view at +" + t.atMs() + " ms: " + pv.encode() + ")");
                    }
                    continue;
                }
                backAt = t.atMs();
                Long end = null;
                for (int j = i; j < seen.size() && end == null; j++) {
                    end = seen.get(j).logEnds().getOrDefault(v, Map.of()).get(p);
                }
                if (end != null && lastOutHw >= 0 && end < lastOutHw) {
                    ctx.findings().violation(id + " is back in the ISR of " + tp + " at +" + backAt + " ms with log end " + end
                            + ", below the high watermark " + lastOutHw + " while it was out");
                }
                note.append(", back in the ISR with log end ").append(end).append(" >= ").append(lastOutHw);
            }
            note.append(outAt < 0 ? ", never seen out of the ISR (window missed by the polls)"
                    : ", out of the ISR at +" + outAt + " ms" + (backAt >= 0 ? ", back at +" + backAt + " ms" : ", not seen back"));
            // The last view before the restart still named it when it was first seen out only after the restart.
            note.append(restartAtMs < 0 || outAt < 0 ? "]" : outAt > restartAtMs
                    ? "; still named leader/in the ISR when it restarted at +" + restartAtMs + " ms (the dangerous case)]"
                    : "; already out when it restarted at +" + restartAtMs + " ms (its session had run out)]");
        }
        ctx.findings().note(note.toString());
    }

    /** Every line the nodes logged since the watch began. */
    private List<String> newLogLines() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < cluster.size(); i++) {
            Path f = cluster.node(i).logFile();
            try {
                byte[] all = Files.readAllBytes(f);
                int from = (int) Math.min(logMarks[i], all.length);
                out.addAll(List.of(new String(all, from, all.length - from, StandardCharsets.UTF_8).split("\n")));
            } catch (IOException e) {
                // a node that never wrote a log has nothing to say
            }
        }
        return out;
    }
}
