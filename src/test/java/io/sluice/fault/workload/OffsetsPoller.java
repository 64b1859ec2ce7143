package io.sluice.fault.workload;

import io.sluice.fault.client.NodeHttp;
import io.sluice.fault.history.History;
import io.sluice.fault.history.Op;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads the group's committed offsets ({@code GET /groups/{g}/offsets}) through each node in turn,
 * as timed operations: the checker's evidence that committed offsets never go backwards (a read
 * that begins after another read or a commit acknowledgement has completed must not see less).
 */
final class OffsetsPoller implements Runnable {
    private final History history;
    private final List<NodeHttp> nodes;
    private final String topic;
    private final String group;
    private final AtomicBoolean stop;

    OffsetsPoller(History history, List<NodeHttp> nodes, String topic, String group, AtomicBoolean stop) {
        this.history = history;
        this.nodes = nodes;
        this.topic = topic;
        this.group = group;
        this.stop = stop;
    }

    @Override
    public void run() {
        for (int turn = 0; !stop.get(); turn++) {
            int node = turn % nodes.size();
            String process = "offsets-n" + node;
            history.add(Op.Type.INVOKE, Op.F.OFFSETS, process, node, -1, null, -1, null, null, -1, -1, null);
            NodeHttp.Reply r = nodes.get(node).get("/groups/" + group + "/offsets", Duration.ofSeconds(3));
            if (r.is(200)) {
                Map<Integer, Long> offsets = new TreeMap<>();
                try {
                    for (Object o : new JsonObject(r.body()).getJsonArray("offsets", new JsonArray())) {
                        JsonObject j = (JsonObject) o;
                        if (topic.equals(j.getString("topic"))) {
                            offsets.put(j.getInteger("partition"), j.getLong("offset"));
                        }
                    }
                    history.add(Op.Type.OK, Op.F.OFFSETS, process, node, -1, null, -1, null, offsets, -1, -1, null);
                } catch (RuntimeException e) {
                    history.add(Op.Type.INFO, Op.F.OFFSETS, process, node, -1, null, -1, null, null, -1, -1, "unreadable: " + r.body());
                }
            } else {
                Op.Type t = r.kind() == NodeHttp.Kind.ANSWER && r.status() / 100 == 4 ? Op.Type.FAIL : Op.Type.INFO;
                history.add(t, Op.F.OFFSETS, process, node, -1, null, -1, null, null, -1, -1, r.status() + " " + r.body());
            }
            ProducerLane.sleep(250);
        }
    }
}
