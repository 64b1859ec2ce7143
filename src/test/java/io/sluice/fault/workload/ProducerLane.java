package io.sluice.fault.workload;

import io.sluice.fault.client.NodeHttp;
import io.sluice.fault.history.History;
import io.sluice.fault.history.Op;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An idempotent {@code acks=all} producer of one partition through one node: one record per request,
 * each value unique ({@code n<node>p<partition>-<k>}), each with its producer id and the partition's
 * next consecutive sequence. A request that may have been stored (timeout, 5xx, broken connection)
 * is retried with the same value and sequence until it is acknowledged, so a retry is deduplicated
 * rather than stored twice. Every attempt is one operation of the history.
 */
final class ProducerLane implements Runnable {
    /** The broker-side produce timeout; the client waits longer, so a slow answer is still seen. */
    static final int PRODUCE_TIMEOUT_MS = 3000;
    static final Duration CLIENT_TIMEOUT = Duration.ofMillis(PRODUCE_TIMEOUT_MS + 3000);
    static final long RETRY_BACKOFF_MS = 200;

    private final History history;
    private final NodeHttp http;
    private final String topic;
    private final int node;
    private final int partition;
    private final long producerIdBase;
    private final long pauseMs;
    private final AtomicBoolean stop;
    private final String process;
    private int session;

    ProducerLane(History history, NodeHttp http, String topic, int node, int partition, long producerIdBase, long pauseMs,
                 AtomicBoolean stop) {
        this.history = history;
        this.http = http;
        this.topic = topic;
        this.node = node;
        this.partition = partition;
        this.producerIdBase = producerIdBase;
        this.pauseMs = pauseMs;
        this.stop = stop;
        this.process = "producer-n" + node + "-p" + partition;
    }

    @Override
    public void run() {
        long producerId = producerIdBase;
        int sequence = 0;
        for (long k = 0; !stop.get(); k++) {
            String value = "n" + node + "p" + partition + "-" + k;
            boolean maybeStored = false;
            while (!stop.get()) {
                Outcome o = attempt(producerId, sequence, value);
                if (o == Outcome.ACKED) {
                    sequence++;
                    break;
                }
                if (o == Outcome.NEW_PRODUCER) {
                    // The partition's producer state no longer matches ours (out-of-order sequence or
                    // fenced epoch): Kafka's answer is a new producer identity, under which nothing
                    // we sent before can be mistaken for a duplicate.
                    session++;
                    producerId = producerIdBase + session;
                    sequence = 0;
                    break;
                }
                if (o == Outcome.REJECTED && !maybeStored) {
                    break;   // definitely not stored: the next value takes this sequence
                }
                // Indeterminate (or rejected after an attempt that may have been stored): retrying
                // the same value and sequence is the only way not to risk a duplicate.
                maybeStored |= o == Outcome.INDETERMINATE;
                sleep(RETRY_BACKOFF_MS);
            }
            sleep(pauseMs);
        }
    }

    private enum Outcome { ACKED, REJECTED, NEW_PRODUCER, INDETERMINATE }

    private Outcome attempt(long producerId, int sequence, String value) {
        String body = new JsonObject().put("records", new JsonArray().add(new JsonObject().put("value", value)
                .put("partition", partition).put("producer_id", producerId).put("sequence", sequence))).encode();
        history.add(Op.Type.INVOKE, Op.F.SEND, process, node, partition, value, -1, null, null, -1, -1,
                "producer " + producerId + " seq " + sequence);
        NodeHttp.Reply r = http.post("/topics/" + topic + "/records?acks=all&timeout_ms=" + PRODUCE_TIMEOUT_MS, body, CLIENT_TIMEOUT);
        if (r.kind() == NodeHttp.Kind.NOT_SENT) {
            return complete(Op.Type.FAIL, value, -1, r.body(), Outcome.REJECTED);
        }
        if (r.kind() == NodeHttp.Kind.INDETERMINATE) {
            return complete(Op.Type.INFO, value, -1, r.body(), Outcome.INDETERMINATE);
        }
        Integer errorCode = null;
        long offset = -1;
        try {
            JsonObject json = new JsonObject(r.body());
            JsonArray offsets = json.getJsonArray("offsets");
            if (offsets != null && !offsets.isEmpty()) {
                JsonObject slot = offsets.getJsonObject(0);
                errorCode = slot.getInteger("error_code");
                offset = slot.getLong("offset", -1L);
            } else {
                errorCode = json.getInteger("error_code");
            }
        } catch (RuntimeException e) {
            return complete(Op.Type.INFO, value, -1, "unreadable answer " + r.status() + ": " + r.body(), Outcome.INDETERMINATE);
        }
        if (r.status() == 200 && errorCode == null && offset >= 0) {
            return complete(Op.Type.OK, value, offset, null, Outcome.ACKED);
        }
        String why = r.status() + " " + r.body();
        int code = errorCode != null ? errorCode : r.status() * 100;
        if (code == 40009 || code == 40010) {
            return complete(Op.Type.FAIL, value, -1, why, Outcome.NEW_PRODUCER);
        }
        int status = code / 100;
        // 4xx means the request was refused before anything was stored (408 and 429 excepted);
        // 5xx, 503 included, may come after an append (Kafka's NOT_ENOUGH_REPLICAS_AFTER_APPEND).
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
            return complete(Op.Type.FAIL, value, -1, why, Outcome.REJECTED);
        }
        return complete(Op.Type.INFO, value, -1, why, Outcome.INDETERMINATE);
    }

    private Outcome complete(Op.Type type, String value, long offset, String error, Outcome outcome) {
        history.add(type, Op.F.SEND, process, node, partition, value, offset, null, null, -1, -1, error);
        return outcome;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
