package io.sluice.fault.workload;

import io.sluice.fault.history.History;
import io.sluice.fault.history.Op;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A consumer-group member over WebSocket ({@code /ws/consume?group=}) attached to one node. It
 * records every frame that matters to the checker (assignments with their start offsets, records,
 * revocations, commit acknowledgements, errors), grants credit for what it has read, and commits
 * the next offset of each owned partition every {@link #COMMIT_EVERY_MS}. A socket that closes is
 * reopened as a new session (the group then assigns again).
 */
final class GroupConsumer implements Runnable {
    static final long COMMIT_EVERY_MS = 500;

    private final History history;
    private final String uri;
    private final String topic;
    private final int node;
    private final AtomicBoolean stop;
    private final String process;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();

    // Session state, touched by the socket's listener thread and the commit loop.
    private final Object lock = new Object();
    private final Object sendLock = new Object();
    private volatile int session = -1;
    private int generation = -1;
    private final Map<Integer, Long> nextToRead = new TreeMap<>();
    private final Map<Integer, Long> lastCommitSent = new TreeMap<>();
    private volatile boolean open;
    private WebSocket socket;

    GroupConsumer(History history, String host, int port, String topic, String group, int node, AtomicBoolean stop) {
        this.history = history;
        this.topic = topic;
        this.node = node;
        this.stop = stop;
        this.process = "consumer-n" + node;
        this.uri = "ws://" + host + ":" + port + "/ws/consume?topics=" + topic + "&group=" + group
                + "&from=earliest&credit=1000&session_timeout_ms=6000";
    }

    @Override
    public void run() {
        while (!stop.get()) {
            if (!open) {
                connect();
            } else {
                commit();
            }
            ProducerLane.sleep(open ? COMMIT_EVERY_MS : 500);
        }
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
    }

    private void connect() {
        synchronized (lock) {
            session++;
            generation = -1;
            nextToRead.clear();
            lastCommitSent.clear();
        }
        int s = session;
        history.add(Op.Type.INVOKE, Op.F.ASSIGN, process, node, -1, null, -1, null, null, s, -1, "connect");
        try {
            socket = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(3))
                    .buildAsync(URI.create(uri), new Listener(s)).get(5, TimeUnit.SECONDS);
            open = true;
        } catch (Exception e) {
            history.add(Op.Type.INFO, Op.F.ASSIGN, process, node, -1, null, -1, null, null, s, -1, "cannot connect: " + e);
        }
    }

    private void commit() {
        Map<Integer, Long> offsets = new TreeMap<>();
        int s;
        synchronized (lock) {
            s = session;
            nextToRead.forEach((p, next) -> {
                if (next > lastCommitSent.getOrDefault(p, -1L)) {
                    offsets.put(p, next);
                }
            });
            lastCommitSent.putAll(offsets);
        }
        if (offsets.isEmpty()) {
            return;
        }
        JsonArray a = new JsonArray();
        offsets.forEach((p, o) -> a.add(new JsonObject().put("topic", topic).put("partition", p).put("offset", o)));
        history.add(Op.Type.INVOKE, Op.F.COMMIT, process, node, -1, null, -1, null, offsets, s, generation, null);
        send(new JsonObject().put("type", "commit").put("offsets", a).encode());
    }

    /** One send at a time: the JDK socket refuses a send while the previous one is pending. */
    private void send(String text) {
        synchronized (sendLock) {
            WebSocket ws = socket;
            if (ws == null || !open) {
                return;
            }
            try {
                ws.sendText(text, true).get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                closed(session, "send failed: " + e);
            }
        }
    }

    private void closed(int s, String why) {
        synchronized (lock) {
            if (s != session || !open) {
                return;
            }
            open = false;
        }
        history.add(Op.Type.INFO, Op.F.REVOKE, process, node, -1, null, -1, null, null, s, generation, "socket closed: " + why);
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
    }

    private void onFrame(int s, JsonObject frame) {
        String type = frame.getString("type", "");
        switch (type) {
            case "assigned" -> {
                Map<Integer, Long> starts = partitionOffsets(frame.getJsonArray("partitions"));
                synchronized (lock) {
                    generation = frame.getInteger("generation", -1);
                    nextToRead.clear();
                    nextToRead.putAll(starts);
                    lastCommitSent.keySet().retainAll(starts.keySet());
                }
                history.add(Op.Type.OK, Op.F.ASSIGN, process, node, -1, null, -1, null, starts, s, generation, null);
            }
            case "records" -> {
                List<Op.Read> reads = new ArrayList<>();
                for (Object o : frame.getJsonArray("records", new JsonArray())) {
                    JsonObject r = (JsonObject) o;
                    reads.add(new Op.Read(r.getInteger("partition"), r.getLong("offset"), Values.of(r.getValue("value"))));
                }
                synchronized (lock) {
                    for (Op.Read r : reads) {
                        nextToRead.merge(r.partition(), r.offset() + 1, Math::max);
                    }
                }
                history.add(Op.Type.OK, Op.F.POLL, process, node, -1, null, -1, reads, null, s, generation, null);
                if (!reads.isEmpty()) {
                    send(new JsonObject().put("type", "credit").put("records", reads.size()).encode());
                }
            }
            case "revoked" -> {
                Map<Integer, Long> gone = partitionOffsets(frame.getJsonArray("partitions"));
                synchronized (lock) {
                    gone.keySet().forEach(nextToRead::remove);
                }
                history.add(Op.Type.OK, Op.F.REVOKE, process, node, -1, null, -1, null, gone, s, frame.getInteger("generation", -1), null);
            }
            case "committed" -> history.add(Op.Type.OK, Op.F.COMMITTED, process, node, -1, null, -1, null,
                    partitionOffsets(frame.getJsonArray("offsets")), s, generation, null);
            case "error" -> history.add(Op.Type.INFO, Op.F.POLL, process, node, -1, null, -1, null, null, s, generation,
                    "error frame: " + frame.encode());
            default -> {
            }
        }
    }

    /** {@code [{"topic","partition","offset"}]} → partition → offset (-1 where none is given). */
    private Map<Integer, Long> partitionOffsets(JsonArray a) {
        Map<Integer, Long> out = new TreeMap<>();
        for (Object o : a == null ? new JsonArray() : a) {
            JsonObject j = (JsonObject) o;
            if (topic.equals(j.getString("topic", topic))) {
                out.put(j.getInteger("partition"), j.getLong("offset", -1L));
            }
        }
        return out;
    }

    /** Reassembles text frames and hands each to {@link #onFrame}; one listener per session. */
    private final class Listener implements WebSocket.Listener {
        private final int session;
        private final StringBuilder partial = new StringBuilder();

        Listener(int session) {
            this.session = session;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            if (session != GroupConsumer.this.session) {
                // A socket whose connect outlived its deadline: the member has moved on to a new one.
                ws.abort();
                return null;
            }
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    onFrame(session, new JsonObject(text));
                } catch (RuntimeException e) {
                    history.add(Op.Type.INFO, Op.F.POLL, process, node, -1, null, -1, null, null, session, -1,
                            "unreadable frame: " + e + ": " + text);
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed(session, "close " + statusCode + " " + reason);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed(session, "error " + error);
        }
    }
}
