package io.sluice.group;

import io.sluice.testing.HttpTestClient;
import io.sluice.testing.HttpTestClient.Socket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A group member as a test drives it: follows its assigned/revoked frames, checks that records
 * only ever come from partitions it owns, and (optionally) commits after processing each frame.
 */
final class GroupTestMember implements AutoCloseable {
    final String name;
    final Socket socket;
    final Set<String> owned = new TreeSet<>();
    final List<JsonObject> processed = new ArrayList<>();
    final Map<String, Long> lastCommitted = new TreeMap<>();
    final List<JsonObject> errors = new ArrayList<>();
    final boolean commitAfterProcess;
    int generation = -1;

    GroupTestMember(HttpTestClient http, String name, String query, boolean commitAfterProcess) {
        this.name = name;
        this.socket = http.connect("/ws/consume?" + query);
        this.commitAfterProcess = commitAfterProcess;
    }

    static String key(String topic, int partition) {
        return topic + "-" + partition;
    }

    /** Polls every member until {@code condition} holds, for up to {@code timeout}. */
    static void until(String what, List<GroupTestMember> members, Duration timeout, java.util.function.BooleanSupplier condition) {
        io.sluice.testing.Await.until(what, timeout, () -> {
            for (GroupTestMember m : members) {
                m.poll(Duration.ofMillis(5));
            }
            return condition.getAsBoolean();
        });
    }

    /** Whether the members own {@code partitions} partitions between them, each exactly once. */
    static boolean partitionsCovered(List<GroupTestMember> members, int partitions) {
        java.util.Set<String> all = new java.util.HashSet<>();
        int total = 0;
        for (GroupTestMember m : members) {
            all.addAll(m.owned);
            total += m.owned.size();
        }
        return all.size() == partitions && total == partitions;
    }

    /** Handles every frame that arrives within {@code window}; returns how many. */
    int poll(Duration window) {
        int n = 0;
        JsonObject f;
        while ((f = socket.poll(n == 0 ? window : Duration.ZERO)) != null) {
            handle(f);
            n++;
        }
        return n;
    }

    void handle(JsonObject f) {
        switch (f.getString("type")) {
            case "assigned" -> {
                generation = f.getInteger("generation");
                owned.clear();
                for (Object o : f.getJsonArray("partitions")) {
                    JsonObject p = (JsonObject) o;
                    owned.add(key(p.getString("topic"), p.getInteger("partition")));
                }
            }
            case "revoked" -> {
                for (Object o : f.getJsonArray("partitions")) {
                    JsonObject p = (JsonObject) o;
                    owned.remove(key(p.getString("topic"), p.getInteger("partition")));
                }
            }
            case "records" -> {
                Map<String, JsonObject> last = new TreeMap<>();
                for (Object o : f.getJsonArray("records")) {
                    JsonObject r = (JsonObject) o;
                    String k = key(r.getString("topic"), r.getInteger("partition"));
                    if (!owned.contains(k)) {
                        throw new AssertionError(name + " received a record of " + k + " which it does not own " + owned);
                    }
                    processed.add(r);
                    last.put(k, r);
                }
                // Credit for what was processed, as a client that keeps up would grant it.
                socket.send(new JsonObject().put("type", "credit").put("records", f.getJsonArray("records").size()));
                if (commitAfterProcess && !last.isEmpty()) {
                    JsonArray offsets = new JsonArray();
                    last.values().forEach(r -> offsets.add(new JsonObject().put("topic", r.getString("topic"))
                            .put("partition", r.getInteger("partition")).put("offset", r.getLong("offset") + 1)));
                    socket.send(new JsonObject().put("type", "commit").put("offsets", offsets));
                }
            }
            case "committed" -> f.getJsonArray("offsets").forEach(o -> {
                JsonObject c = (JsonObject) o;
                lastCommitted.put(key(c.getString("topic"), c.getInteger("partition")), c.getLong("offset"));
            });
            case "error" -> errors.add(f);
            default -> throw new AssertionError("unexpected frame " + f);
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
