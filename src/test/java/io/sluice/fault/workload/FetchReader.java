package io.sluice.fault.workload;

import io.sluice.fault.client.NodeHttp;
import io.sluice.fault.history.History;
import io.sluice.fault.history.Op;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads every partition from offset 0 through one node with HTTP fetches
 * ({@code GET /topics/{t}/partitions/{p}/records?offset=}), in turn, recording every record seen.
 * It only moves forward (next offset = last read + 1); when its position stays out of range for
 * {@link #RESET_AFTER_MS} (a range it read was rolled back) it jumps to the high watermark and says
 * so in the history (RESET), so gaps and reorderings it reports are the server's, never its own.
 */
final class FetchReader implements Runnable {
    static final long RESET_AFTER_MS = 10_000;
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(5);

    private final History history;
    private final NodeHttp http;
    private final String topic;
    private final int node;
    private final int partitions;
    private final AtomicBoolean stop;
    private final String process;
    /** Next offset to read, per partition. */
    private final long[] position;

    FetchReader(History history, NodeHttp http, String topic, int node, int partitions, AtomicBoolean stop) {
        this.history = history;
        this.http = http;
        this.topic = topic;
        this.node = node;
        this.partitions = partitions;
        this.stop = stop;
        this.process = "reader-n" + node;
        this.position = new long[partitions];
    }

    @Override
    public void run() {
        long[] outOfRangeSince = new long[partitions];
        int[] epoch = new int[partitions];
        while (!stop.get()) {
            for (int p = 0; p < partitions && !stop.get(); p++) {
                NodeHttp.Reply r = fetch(p, position[p], epoch[p]);
                if (r == null) {
                    outOfRangeSince[p] = 0;
                    continue;
                }
                if (r.is(416)) {
                    long now = System.nanoTime();
                    if (outOfRangeSince[p] == 0) {
                        outOfRangeSince[p] = now;
                    } else if (now - outOfRangeSince[p] > RESET_AFTER_MS * 1_000_000) {
                        position[p] = reset(p, position[p], ++epoch[p]);
                        outOfRangeSince[p] = 0;
                    }
                }
                ProducerLane.sleep(r.kind() == NodeHttp.Kind.ANSWER ? 50 : 200);
            }
        }
    }

    /** One fetch; advances {@code position} on success and returns null, else the failed reply. */
    private NodeHttp.Reply fetch(int p, long offset, int epoch) {
        history.add(Op.Type.INVOKE, Op.F.FETCH, process, node, p, null, offset, null, null, epoch, -1, null);
        NodeHttp.Reply r = http.get("/topics/" + topic + "/partitions/" + p + "/records?offset=" + offset
                + "&max_records=200&timeout_ms=200", CLIENT_TIMEOUT);
        if (r.is(200)) {
            List<Op.Read> reads = new ArrayList<>();
            try {
                for (Object o : new JsonObject(r.body()).getJsonArray("records", new JsonArray())) {
                    JsonObject rec = (JsonObject) o;
                    reads.add(new Op.Read(p, rec.getLong("offset"), Values.of(rec.getValue("value"))));
                }
            } catch (RuntimeException e) {
                history.add(Op.Type.INFO, Op.F.FETCH, process, node, p, null, offset, null, null, epoch, -1, "unreadable: " + r.body());
                return r;
            }
            history.add(Op.Type.OK, Op.F.FETCH, process, node, p, null, offset, reads, null, epoch, -1, null);
            if (!reads.isEmpty()) {
                position[p] = reads.get(reads.size() - 1).offset() + 1;
            }
            return null;
        }
        Op.Type t = r.kind() == NodeHttp.Kind.ANSWER && r.status() / 100 == 4 ? Op.Type.FAIL : Op.Type.INFO;
        history.add(t, Op.F.FETCH, process, node, p, null, offset, null, null, epoch, -1, r.status() + " " + r.body());
        return r;
    }

    private long reset(int p, long from, int epoch) {
        NodeHttp.Reply r = http.get("/topics/" + topic + "/partitions/" + p + "/offsets", CLIENT_TIMEOUT);
        long to = from;
        if (r.is(200)) {
            to = new JsonObject(r.body()).getLong("high_watermark", from);
        }
        history.add(Op.Type.INFO, Op.F.RESET, process, node, p, null, to, null, null, epoch, -1,
                "offset " + from + " out of range for " + RESET_AFTER_MS + " ms: reading on from the high watermark " + to);
        return to;
    }
}
