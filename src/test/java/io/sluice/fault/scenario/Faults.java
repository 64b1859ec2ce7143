package io.sluice.fault.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The nemesis's repertoire, each aimed at partition 0's current leader or followers so that it
 * hurts: cutting off a follower, the leader alone, the leader with a follower, a bridge partition,
 * SIGKILL, SIGSTOP/SIGCONT, wall-clock steps and (with a capable data-dir provider) power loss.
 */
public final class Faults {
    private Faults() {
    }

    /** A follower of partition 0 cut off from every other node. */
    public static final Fault ISOLATE_FOLLOWER = new Partition("isolate-follower") {
        @Override
        Set<Integer> side(FaultContext ctx) {
            List<Integer> f = ctx.followersOf(0);
            return Set.of(f.isEmpty() ? (ctx.leaderOf(0) + 1) % ctx.cluster().size() : f.get(0));
        }
    };

    /** Partition 0's leader cut off alone. */
    public static final Fault ISOLATE_LEADER = new Partition("isolate-leader") {
        @Override
        Set<Integer> side(FaultContext ctx) {
            return Set.of(ctx.leaderOf(0));
        }
    };

    /** Partition 0's leader and one of its followers cut off from the rest (a minority still satisfying min.insync.replicas=2). */
    public static final Fault ISOLATE_LEADER_AND_FOLLOWER = new Partition("isolate-leader-and-follower") {
        @Override
        Set<Integer> side(FaultContext ctx) {
            int leader = ctx.leaderOf(0);
            List<Integer> f = ctx.followersOf(0);
            return new TreeSet<>(Set.of(leader, f.isEmpty() ? (leader + 1) % ctx.cluster().size() : f.get(0)));
        }
    };

    /**
     * A bridge: the nodes split into two halves that cannot reach each other, and one node that
     * reaches both (Jepsen's bridge). Partition 0's leader is on the smaller half.
     */
    public static final Fault BRIDGE = new Fault() {
        @Override
        public String name() {
            return "bridge";
        }

        @Override
        public Applied apply(FaultContext ctx) {
            int n = ctx.cluster().size();
            int leader = ctx.leaderOf(0);
            List<Integer> others = new ArrayList<>(ctx.allBut(Set.of(leader)));
            int bridge = others.remove(ctx.random().nextInt(others.size()));
            Set<Integer> left = new TreeSet<>(Set.of(leader));
            while (left.size() < (n - 1) / 2) {
                left.add(others.remove(0));
            }
            Set<Integer> right = new TreeSet<>(others);
            ctx.cluster().network().bridge(left, right);
            Set<Integer> majority = new TreeSet<>(right);
            majority.add(bridge);
            return new Applied("bridge " + left + " | " + bridge + " | " + right, left, majority);
        }

        @Override
        public void heal(FaultContext ctx, Applied applied) {
            ctx.cluster().network().heal();
        }
    };

    /** SIGKILL partition 0's leader; the heal restarts it. */
    public static final Fault KILL_LEADER = new Fault() {
        @Override
        public String name() {
            return "kill-leader";
        }

        @Override
        public Applied apply(FaultContext ctx) throws InterruptedException {
            int victim = ctx.leaderOf(0);
            ctx.cluster().node(victim).kill();
            return new Applied("SIGKILL n" + victim, Set.of(victim), ctx.allBut(Set.of(victim)));
        }

        @Override
        public void heal(FaultContext ctx, Applied applied) throws Exception {
            for (int i : applied.targets()) {
                ctx.cluster().restart(i, Duration.ofSeconds(120));
            }
        }
    };

    /** SIGSTOP partition 0's leader (a long GC pause); the heal is SIGCONT. */
    public static final Fault PAUSE_LEADER = new Fault() {
        @Override
        public String name() {
            return "pause-leader";
        }

        @Override
        public Applied apply(FaultContext ctx) {
            int victim = ctx.leaderOf(0);
            ctx.cluster().node(victim).pause();
            return new Applied("SIGSTOP n" + victim, Set.of(victim), ctx.allBut(Set.of(victim)));
        }

        @Override
        public void heal(FaultContext ctx, Applied applied) {
            applied.targets().forEach(i -> ctx.cluster().node(i).resume());
        }
    };

    /** Steps the wall clock of the leader and one other node, by ±30..300 s each (an NTP step); the heal steps them back. */
    public static final Fault CLOCK_STEP = new Fault() {
        @Override
        public String name() {
            return "clock-step";
        }

        @Override
        public boolean needsWallClocks() {
            return true;
        }

        @Override
        public Applied apply(FaultContext ctx) {
            int leader = ctx.leaderOf(0);
            int other = (leader + 1 + ctx.random().nextInt(ctx.cluster().size() - 1)) % ctx.cluster().size();
            StringBuilder d = new StringBuilder("wall clock");
            for (int i : new TreeSet<>(Set.of(leader, other))) {
                long s = (30 + ctx.random().nextInt(271)) * (ctx.random().nextBoolean() ? 1L : -1L);
                ctx.cluster().node(i).clock().step(s);
                d.append(" n").append(i).append(s >= 0 ? " +" : " ").append(s).append("s");
            }
            return new Applied(d.toString(), new TreeSet<>(Set.of(leader, other)), ctx.all());
        }

        @Override
        public void heal(FaultContext ctx, Applied applied) {
            applied.targets().forEach(i -> ctx.cluster().node(i).clock().reset());
        }
    };

    /**
     * Power loss of partition 0's leader: its disk drops every write not fsynced and fails from then
     * on, it is SIGKILLed at once, and after the hold it restarts on what survived (needs a
     * power-cut data-dir provider). The heal also judges the unclean-start rule
     * ({@link UncleanStartWatch}).
     */
    public static final Fault POWER_CUT_LEADER = new PowerCut("power-cut-leader", ctx -> Set.of(ctx.leaderOf(0)));

    /** Power loss of an in-sync follower of partition 0 (as {@link #POWER_CUT_LEADER}). */
    public static final Fault POWER_CUT_FOLLOWER = new PowerCut("power-cut-follower", ctx -> {
        List<Integer> f = ctx.followersOf(0);
        return Set.of(f.isEmpty() ? (ctx.leaderOf(0) + 1) % ctx.cluster().size() : f.get(0));
    });

    /**
     * Power loss of partition 0's leader and one in-sync follower at the same moment: with three
     * replicas the third still holds every acknowledged record, unless the ISR had already shrunk
     * to the two (then acknowledged records may be lost by design: README "Guarantees").
     */
    public static final Fault POWER_CUT_LEADER_AND_FOLLOWER = new PowerCut("power-cut-leader-and-follower", ctx -> {
        int leader = ctx.leaderOf(0);
        List<Integer> f = ctx.followersOf(0);
        return new TreeSet<>(Set.of(leader, f.isEmpty() ? (leader + 1) % ctx.cluster().size() : f.get(0)));
    });

    /** Every fault by name (for the soak script's {@code --faults}). */
    public static List<Fault> all() {
        return List.of(ISOLATE_FOLLOWER, ISOLATE_LEADER, ISOLATE_LEADER_AND_FOLLOWER, BRIDGE, KILL_LEADER, PAUSE_LEADER,
                CLOCK_STEP, POWER_CUT_LEADER, POWER_CUT_FOLLOWER, POWER_CUT_LEADER_AND_FOLLOWER);
    }

    public static Fault byName(String name) {
        return all().stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown fault " + name + "; known: " + all().stream().map(Fault::name).toList()));
    }

    /** A power cut of the nodes {@code victims} picks; the heal restarts them together and judges their unclean start. */
    private static final class PowerCut implements Fault {
        private final String name;
        private final java.util.function.Function<FaultContext, Set<Integer>> victims;

        PowerCut(String name, java.util.function.Function<FaultContext, Set<Integer>> victims) {
            this.name = name;
            this.victims = victims;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean needsPowerCut() {
            return true;
        }

        @Override
        public Applied apply(FaultContext ctx) throws Exception {
            var dataDirs = ctx.cluster().options().dataDirs();
            if (!dataDirs.supportsPowerCut()) {
                throw new IllegalStateException(name + " needs a DataDirProvider that supports power cuts (LossyDataDirs)");
            }
            Set<Integer> v = new TreeSet<>(victims.apply(ctx));
            UncleanStartWatch watch = new UncleanStartWatch(ctx, v);
            watch.start();
            StringBuilder d = new StringBuilder("power cut");
            java.util.Map<Integer, long[]> before = new java.util.TreeMap<>();
            for (int i : v) {
                d.append(" n").append(i);
                if (dataDirs instanceof io.sluice.fault.node.LossyDataDirs lossy && lossy.status(i) != null) {
                    d.append(" (").append(lossy.status(i).dirtyBytes()).append(" unsynced bytes)");
                }
                before.put(i, segmentBytes(ctx, watch.atCut().size(), ctx.cluster().dataDir(i)));
            }
            // All disks off first (nothing more reaches them), then the processes.
            for (int i : v) {
                dataDirs.powerCut(i);
            }
            for (int i : v) {
                ctx.cluster().node(i).kill();
            }
            if (dataDirs instanceof io.sluice.fault.node.LossyDataDirs lossy) {
                for (int i : v) {
                    long[] after = segmentBytes(ctx, watch.atCut().size(), lossy.backingDir(i));
                    StringBuilder n = new StringBuilder("power cut n" + i + ": bytes of " + ctx.topic() + "'s segments durable / written, by partition:");
                    for (int p = 0; p < after.length; p++) {
                        n.append(" p").append(p).append(' ').append(after[p]).append(" / ").append(before.get(i)[p]);
                    }
                    ctx.findings().note(n.toString());
                }
            }
            return new Applied(d.toString(), v, ctx.allBut(v), watch);
        }

        /** Per partition of the topic, the bytes of its segment files (.log) under {@code dataDir}. */
        private static long[] segmentBytes(FaultContext ctx, int partitions, java.nio.file.Path dataDir) throws java.io.IOException {
            long[] out = new long[partitions];
            for (int p = 0; p < partitions; p++) {
                java.nio.file.Path dir = dataDir.resolve("logs").resolve(ctx.topic() + "-" + p);
                if (!java.nio.file.Files.isDirectory(dir)) {
                    continue;
                }
                try (var files = java.nio.file.Files.list(dir)) {
                    for (java.nio.file.Path f : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                        out[p] += java.nio.file.Files.size(f);
                    }
                }
            }
            return out;
        }

        @Override
        public void heal(FaultContext ctx, Applied applied) throws Exception {
            UncleanStartWatch watch = (UncleanStartWatch) applied.state();
            watch.restarting();
            try {
                ctx.cluster().restart(applied.targets(), Duration.ofSeconds(120));
            } finally {
                watch.finish(Duration.ofSeconds(60));
            }
        }
    }

    /** A cut of one side from the rest; the rest is the majority. */
    private abstract static class Partition implements Fault {
        private final String name;

        Partition(String name) {
            this.name = name;
        }

        abstract Set<Integer> side(FaultContext ctx);

        @Override
        public String name() {
            return name;
        }

        @Override
        public Applied apply(FaultContext ctx) {
            Set<Integer> side = side(ctx);
            ctx.cluster().network().isolate(side);
            return new Applied("cut " + side + " from " + ctx.allBut(side), side, ctx.allBut(side));
        }

        @Override
        public void heal(FaultContext ctx, Applied applied) {
            ctx.cluster().network().heal();
        }
    }
}
