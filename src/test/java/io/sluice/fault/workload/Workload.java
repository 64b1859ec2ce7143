package io.sluice.fault.workload;

import io.sluice.fault.client.NodeHttp;
import io.sluice.fault.history.History;
import io.sluice.fault.node.FaultCluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Jepsen's Kafka queue workload over Sluice's public API, attached to every node so that each side
 * of any partition has clients: per node, one idempotent {@code acks=all} producer lane per
 * partition, an HTTP fetch reader of every partition and a WebSocket group member; plus a reader of
 * the group's committed offsets. Owns their threads: {@link #stop()} ends them and waits (bounded).
 */
public final class Workload {
    public static final String GROUP = "fault-group";

    private final History history;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    public Workload(History history, FaultCluster cluster, String topic, int partitions, long pauseMs) {
        this.history = history;
        // Producer ids unique to the run (a lane's later sessions add 1, 2, ...): never reused.
        long base = (ThreadLocalRandom.current().nextLong(1L << 40) + 1) << 16;
        List<NodeHttp> https = new ArrayList<>();
        for (int n = 0; n < cluster.size(); n++) {
            NodeHttp http = cluster.http(n);
            https.add(http);
            for (int p = 0; p < partitions; p++) {
                NodeHttp laneHttp = new NodeHttp(cluster.network().managementIp(n), FaultCluster.HTTP_PORT);
                long producerId = base + ((long) (n * partitions + p) << 8);
                add("producer-n" + n + "-p" + p, new ProducerLane(history, laneHttp, topic, n, p, producerId, pauseMs, stop));
            }
            add("reader-n" + n, new FetchReader(history, new NodeHttp(cluster.network().managementIp(n), FaultCluster.HTTP_PORT),
                    topic, n, partitions, stop));
            add("consumer-n" + n, new GroupConsumer(history, cluster.network().managementIp(n), FaultCluster.HTTP_PORT,
                    topic, GROUP, n, stop));
        }
        add("offsets", new OffsetsPoller(history, https, topic, GROUP, stop));
    }

    private void add(String name, Runnable r) {
        Thread t = new Thread(r, "fault-" + name);
        t.setDaemon(true);
        threads.add(t);
    }

    public History history() {
        return history;
    }

    public void start() {
        threads.forEach(Thread::start);
    }

    /** Stops every client; each finishes the request it has in flight (bounded by its timeout). */
    public void stop() throws InterruptedException {
        stop.set(true);
        long deadline = System.nanoTime() + 30_000_000_000L;
        for (Thread t : threads) {
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (t.isAlive()) {
                System.out.println("[fault] " + t.getName() + " still running after stop; interrupting it");
                t.interrupt();
            }
        }
    }
}
