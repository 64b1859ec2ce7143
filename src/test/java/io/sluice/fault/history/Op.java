package io.sluice.fault.history;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One event of a history, as in Jepsen: a process invokes an operation and later completes it
 * with {@code ok}, {@code fail} (definitely did not happen) or {@code info} (indeterminate, e.g. a
 * timeout). Fields not used by an operation's {@link F} are -1 / null / empty.
 *
 * @param index position in the history
 * @param time nanoseconds since the history began (monotonic)
 * @param process who did it (a producer lane, a reader, a consumer, the nemesis)
 * @param node the node the process talks to (-1 for none)
 * @param partition the partition written (SEND) or read (FETCH), else -1
 * @param value the value written (SEND)
 * @param offset SEND ok: the acknowledged offset; FETCH: the requested offset
 * @param reads records seen: FETCH, POLL and FINAL_READ
 * @param offsets partition → offset: ASSIGN (start offsets), COMMIT/COMMITTED, OFFSETS (group offsets read)
 * @param session a consumer's connection number; generation the group generation (ASSIGN, POLL, REVOKE)
 * @param error why a fail/info happened, or what a nemesis did
 */
public record Op(long index, long time, Type type, F f, String process, int node, int partition, String value,
                 long offset, List<Read> reads, Map<Integer, Long> offsets, int session, int generation, String error) {

    /** Completion kinds, Jepsen's names. */
    public enum Type { INVOKE, OK, FAIL, INFO }

    /** What an operation does. */
    public enum F {
        /** A produce of one record (one attempt; retries are new operations with the same value). */
        SEND,
        /** An HTTP fetch of one partition from an offset. */
        FETCH,
        /** Records delivered to a WebSocket group member. */
        POLL,
        /** A group member's new assignment and start offsets; REVOKE ends one. */
        ASSIGN, REVOKE,
        /** A commit sent by a member; COMMITTED is the server's acknowledgement. */
        COMMIT, COMMITTED,
        /** A read of the group's committed offsets ({@code GET /groups/g/offsets}). */
        OFFSETS,
        /** A fetch reader's jump to the high watermark after a rolled-back range stayed out of range. */
        RESET,
        /** The catch-up read of every partition after the cluster settled. */
        FINAL_READ,
        /** A fault or heal (the nemesis), for timing and reports. */
        NEMESIS
    }

    /** A record as a reader saw it. */
    public record Read(int partition, long offset, String value) {
    }

    public boolean is(Type t, F fn) {
        return type == t && f == fn;
    }

    public JsonObject toJson() {
        JsonObject j = new JsonObject().put("index", index).put("time", time).put("type", type.name().toLowerCase())
                .put("f", f.name().toLowerCase()).put("process", process);
        if (node >= 0) {
            j.put("node", node);
        }
        if (partition >= 0) {
            j.put("partition", partition);
        }
        if (value != null) {
            j.put("value", value);
        }
        if (offset >= 0) {
            j.put("offset", offset);
        }
        if (!reads.isEmpty()) {
            JsonArray a = new JsonArray();
            reads.forEach(r -> a.add(new JsonArray().add(r.partition()).add(r.offset()).add(r.value())));
            j.put("reads", a);
        }
        if (!offsets.isEmpty()) {
            JsonObject o = new JsonObject();
            offsets.forEach((p, off) -> o.put(String.valueOf(p), off));
            j.put("offsets", o);
        }
        if (session >= 0) {
            j.put("session", session);
        }
        if (generation >= 0) {
            j.put("generation", generation);
        }
        if (error != null) {
            j.put("error", error);
        }
        return j;
    }

    public static Op fromJson(JsonObject j) {
        List<Read> reads = new ArrayList<>();
        for (Object o : j.getJsonArray("reads", new JsonArray())) {
            JsonArray r = (JsonArray) o;
            reads.add(new Read(r.getInteger(0), r.getLong(1), r.getString(2)));
        }
        Map<Integer, Long> offsets = new TreeMap<>();
        j.getJsonObject("offsets", new JsonObject()).forEach(e -> offsets.put(Integer.parseInt(e.getKey()), ((Number) e.getValue()).longValue()));
        return new Op(j.getLong("index"), j.getLong("time"), Type.valueOf(j.getString("type").toUpperCase()),
                F.valueOf(j.getString("f").toUpperCase()), j.getString("process"), j.getInteger("node", -1),
                j.getInteger("partition", -1), j.getString("value"), j.getLong("offset", -1L), reads, offsets,
                j.getInteger("session", -1), j.getInteger("generation", -1), j.getString("error"));
    }
}
