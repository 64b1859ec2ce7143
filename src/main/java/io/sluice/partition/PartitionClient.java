package io.sluice.partition;

import io.sluice.bus.NodeDoor;
import io.sluice.common.Clock;
import io.sluice.common.ErrorCode;
import io.sluice.common.Failures;
import io.sluice.common.RetryLoop;
import io.sluice.bus.FetchRequest;
import io.sluice.bus.FetchResponse;
import io.sluice.bus.OffsetsRequest;
import io.sluice.bus.OffsetsResponse;
import io.sluice.bus.ProduceRequest;
import io.sluice.bus.ProduceResponse;
import io.sluice.common.SluiceException;
import io.sluice.bus.TopicPartition;
import io.sluice.cluster.MetadataCache;
import io.sluice.cluster.PartitionAssignment;
import io.vertx.core.Completable;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.internal.ContextInternal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How any node reaches a partition: looks up its leader in the metadata and sends the request to
 * that replica's bus address, wherever it lives (a replica on this node is called directly).
 * While a partition has no leader, is still starting, or is moving, requests are retried (with
 * fresh metadata) until their deadline, so a client sees a failover as latency rather than as an
 * error.
 *
 * <p>The event bus does not always answer: a request that reaches a replica as it unregisters
 * (it left this node, or its node is stopping) is dropped without a reply (Vert.x discards what
 * a consumer had not handled yet), and the sender would wait for its full timeout. So every
 * attempt in flight on the bus is watched: when its node leaves the cluster it fails at once,
 * and when the metadata says its target no longer leads the partition it fails after
 * {@value #MOVED_GRACE_MS} ms (time for an answer already on its way), and is retried at the new
 * leader.
 */
public final class PartitionClient {
    private static final long RETRY_BACKOFF_MS = 25;
    /** Extra time a bus request gets beyond the wait its partition may take. */
    private static final long BUS_MARGIN_MS = 5_000;
    /** How long an attempt may still be answered by a replica that no longer leads. */
    static final long MOVED_GRACE_MS = 1_000;

    private final Vertx vertx;
    private final MetadataCache cache;
    private String localNode;
    /** Attempts in flight, failed early when their target cannot answer any more. */
    private final Set<Attempt> inFlight = ConcurrentHashMap.newKeySet();
    private Supplier<Collection<String>> liveNodes;
    private Function<TopicPartition, PartitionVerticle> locals = tp -> null;
    /**
     * Retries while the partition has no leader or moves; not REQUEST_TIMED_OUT nor
     * NOT_ENOUGH_REPLICAS, after which a produce may have been written.
     */
    private final RetryLoop retries;

    /** One request on its way to one replica; {@code toLeader} when it needs that replica to lead. */
    private record Attempt(TopicPartition tp, String target, boolean toLeader, Context context, Promise<?> promise) {
        void fail(SluiceException e) {
            // Completed on the context that sent it, like its answer would have been.
            context.runOnContext(v -> promise.tryFail(e));
        }

        boolean stale(MetadataCache cache) {
            if (!toLeader) {
                return false;
            }
            try {
                return !target.equals(cache.partition(tp).leader());
            } catch (SluiceException gone) {
                return true;
            }
        }
    }

    /** {@code clock}: its monotonic time bounds the retries. */
    public PartitionClient(Vertx vertx, MetadataCache cache, Clock clock) {
        this.vertx = vertx;
        this.cache = cache;
        this.retries = RetryLoop.on(vertx, clock, RETRY_BACKOFF_MS, EnumSet.of(ErrorCode.NOT_LEADER, ErrorCode.UNAVAILABLE));
        cache.onChange(m -> onMetadata());
    }

    /** On the {@link Clock#SYSTEM system clock} (tests that build a client of their own). */
    public PartitionClient(Vertx vertx, MetadataCache cache) {
        this(vertx, cache, Clock.SYSTEM);
    }

    /**
     * Watches membership: a request to a node that leaves the cluster fails at once (and is
     * retried at the next leader) instead of waiting for its timeout, and no request goes to a
     * node known to be gone.
     */
    public void watch(io.sluice.cluster.ClusterMembership membership) {
        this.liveNodes = membership::ids;
        membership.onChange(() -> {
            List<String> live = membership.ids();
            for (Attempt a : inFlight) {
                if (!live.contains(a.target())) {
                    a.fail(new SluiceException(ErrorCode.UNAVAILABLE, "node " + a.target() + " left the cluster"));
                }
            }
        });
    }

    /** The leader of some partitions moved: attempts still waiting on a former leader are given up soon. */
    private void onMetadata() {
        List<Attempt> suspect = new ArrayList<>();
        for (Attempt a : inFlight) {
            if (a.stale(cache)) {
                suspect.add(a);
            }
        }
        if (!suspect.isEmpty()) {
            vertx.setTimer(MOVED_GRACE_MS, id -> {
                for (Attempt a : suspect) {
                    if (inFlight.contains(a) && a.stale(cache)) {
                        a.fail(new SluiceException(ErrorCode.NOT_LEADER, a.target() + " no longer leads " + a.tp()));
                    }
                }
            });
        }
    }

    /** Lets {@link #fetchNear} read from this node's replicas ({@code locals} finds them). */
    public void preferLocal(String nodeId, Function<TopicPartition, PartitionVerticle> locals) {
        this.localNode = nodeId;
        this.locals = locals;
    }

    /**
     * A consumer fetch served by this node's replica when it has an in-sync one (a follower
     * answers below the high watermark it knows), else by the leader; the leader is also the
     * fallback when the local replica cannot answer.
     */
    public Future<FetchResponse> fetchNear(FetchRequest req) {
        PartitionAssignment pa;
        try {
            pa = cache.partition(req.tp());
        } catch (SluiceException e) {
            return Future.failedFuture(e);
        }
        if (localNode == null || localNode.equals(pa.leader()) || locals.apply(req.tp()) == null || !pa.isr().contains(localNode)) {
            return fetch(req);
        }
        return fetchFrom(localNode, req).recover(e -> fetch(req));
    }

    public Future<ProduceResponse> produce(ProduceRequest req) {
        return call(req.tp(), req, req.timeoutMs(), req.timeoutMs() + BUS_MARGIN_MS);
    }

    /**
     * Produces each of {@code requests} (one per partition, from one client request) as
     * {@link #produce} would, answering in the same order. The requests for partitions led on this
     * node travel together: one task to each event loop that runs their leaders, one task back with
     * all of that loop's answers, and one timeout for them all, instead of two tasks and a timer
     * per partition. A produce keyed over 10,000 partitions has about one record per partition,
     * and those per-partition hops were most of its cost. A partition led elsewhere, and one whose
     * answer says to try again (its leader moved), goes through {@link #produce} and its retries.
     */
    public List<Future<ProduceResponse>> produceAll(List<ProduceRequest> requests) {
        List<Future<ProduceResponse>> answers = new ArrayList<>(requests.size());
        if (requests.size() == 1) {
            answers.add(produce(requests.get(0)));
            return answers;
        }
        ContextInternal caller = (ContextInternal) vertx.getOrCreateContext();
        List<LocalGroup> groups = new ArrayList<>(2);
        for (ProduceRequest req : requests) {
            PartitionVerticle local = localLeader(req.tp());
            if (local == null) {
                answers.add(produce(req));
                continue;
            }
            Promise<ProduceResponse> answer = caller.promise();
            answers.add(answer.future());
            groupFor(groups, local.eventLoop(), caller).add(local, req, answer);
        }
        for (LocalGroup g : groups) {
            g.send();
        }
        return answers;
    }

    /** This node's replica of {@code tp} when the metadata names this node its leader, else null. */
    private PartitionVerticle localLeader(TopicPartition tp) {
        if (localNode == null) {
            return null;
        }
        try {
            return localNode.equals(cache.partition(tp).leader()) ? locals.apply(tp) : null;
        } catch (SluiceException unknown) {
            return null; // (produce() fails it as it fails any unknown partition)
        }
    }

    private LocalGroup groupFor(List<LocalGroup> groups, io.netty.channel.EventLoop loop, ContextInternal caller) {
        for (LocalGroup g : groups) {
            if (g.loop == loop) {
                return g;
            }
        }
        LocalGroup g = new LocalGroup(loop, caller);
        groups.add(g);
        return g;
    }

    /**
     * The requests of one {@link #produceAll} for the leaders on one event loop. The replicas'
     * answers are gathered on that loop (each completes a plain promise there; only that loop
     * counts them), then handed to the caller's context in one task, where the caller's promises
     * complete; a timeout on the caller's loop fails those still open.
     */
    private final class LocalGroup {
        final io.netty.channel.EventLoop loop;
        final ContextInternal caller;
        final List<PartitionVerticle> replicas = new ArrayList<>();
        final List<ProduceRequest> requests = new ArrayList<>();
        final List<Promise<ProduceResponse>> answers = new ArrayList<>();
        /** Written on {@link #loop}; read on the caller's loop after the hand-over task. */
        private Object[] results;
        private int outstanding;
        private ScheduledFuture<?> timer;

        LocalGroup(io.netty.channel.EventLoop loop, ContextInternal caller) {
            this.loop = loop;
            this.caller = caller;
        }

        void add(PartitionVerticle replica, ProduceRequest req, Promise<ProduceResponse> answer) {
            replicas.add(replica);
            requests.add(req);
            answers.add(answer);
        }

        void send() {
            int n = requests.size();
            results = new Object[n];
            outstanding = n;
            long timeoutMs = 0;
            for (ProduceRequest r : requests) {
                timeoutMs = Math.max(timeoutMs, r.timeoutMs() + BUS_MARGIN_MS);
            }
            timer = caller.nettyEventLoop().schedule(this::timeOut, timeoutMs, TimeUnit.MILLISECONDS);
            if (loop.inEventLoop()) {
                callAll();
            } else {
                loop.execute(this::callAll);
            }
        }

        /** On the replicas' loop. */
        @SuppressWarnings("unchecked")
        private void callAll() {
            for (int i = 0; i < replicas.size(); i++) {
                int slot = i;
                Promise<Object> answer = Promise.promise();
                answer.future().onComplete((result, failure) -> answered(slot, failure == null ? result : failure));
                replicas.get(i).call(requests.get(i), answer);
            }
        }

        /** On the replicas' loop: the last answer hands them all to the caller. */
        private void answered(int slot, Object result) {
            // (Replicas answer on their own loop; the count below takes no lock for that reason.)
            assert loop.inEventLoop() : "a replica answered off its event loop";
            results[slot] = result;
            if (--outstanding == 0) {
                caller.runOnContext(v -> complete());
            }
        }

        /** On the caller's context. */
        private void complete() {
            timer.cancel(false);
            for (int i = 0; i < results.length; i++) {
                Promise<ProduceResponse> answer = answers.get(i);
                if (results[i] instanceof ProduceResponse r) {
                    answer.tryComplete(r);
                    continue;
                }
                SluiceException e = translate((Throwable) results[i], requests.get(i).tp());
                if (e.code() == ErrorCode.NOT_LEADER || e.code() == ErrorCode.UNAVAILABLE) {
                    // The partition moved meanwhile: retried at its leader, as produce() would.
                    produce(requests.get(i)).onComplete(answer);
                } else {
                    answer.tryFail(e);
                }
            }
        }

        /** On the caller's loop: no answer in time. */
        private void timeOut() {
            for (int i = 0; i < answers.size(); i++) {
                answers.get(i).tryFail(new SluiceException(ErrorCode.REQUEST_TIMED_OUT,
                        "no answer from " + requests.get(i).tp() + " on this node in time"));
            }
        }
    }

    /** acks=0: hands the request to the leader and forgets it. */
    public void produceAndForget(ProduceRequest req) {
        PartitionAssignment pa = cache.partition(req.tp());
        if (pa.leader() != null) {
            vertx.eventBus().send(ReplicaEndpoint.address(pa.leader()), req,
                    new DeliveryOptions().setLocalOnly(pa.leader().equals(localNode)));
        }
    }

    public Future<FetchResponse> fetch(FetchRequest req) {
        return call(req.tp(), req, req.maxWaitMs() + BUS_MARGIN_MS, req.maxWaitMs() + BUS_MARGIN_MS);
    }

    /** Fetches from the replica on {@code nodeId} (a follower close to the consumer, or the leader). */
    public Future<FetchResponse> fetchFrom(String nodeId, FetchRequest req) {
        Promise<FetchResponse> attempt = ((ContextInternal) vertx.getOrCreateContext()).promise();
        Promise<FetchResponse> answer = Promise.promise();
        send(req.tp(), nodeId, false, req, req.maxWaitMs() + BUS_MARGIN_MS, attempt, (result, failure) -> {
            if (failure == null) {
                answer.complete(result);
            } else {
                answer.fail(translate(failure, req.tp()));
            }
        });
        return answer.future();
    }

    public Future<OffsetsResponse> offsets(OffsetsRequest req) {
        return call(req.tp(), req, BUS_MARGIN_MS, BUS_MARGIN_MS);
    }

    private <T> Future<T> call(TopicPartition tp, Object request, long retryForMs, long busTimeoutMs) {
        return retries.run(retryForMs, deadline -> attempt(tp, request, busTimeoutMs));
    }

    /** One send to the leader the metadata names now (fresh metadata on every retry). */
    private <T> Future<T> attempt(TopicPartition tp, Object request, long busTimeoutMs) {
        PartitionAssignment pa = cache.partition(tp); // an unknown partition fails the call: not retried
        if (pa.leader() == null) {
            return Future.failedFuture(new SluiceException(ErrorCode.UNAVAILABLE, tp + " has no leader available"));
        }
        String target = pa.leader();
        if (liveNodes != null && !liveNodes.get().contains(target)) {
            return Future.failedFuture(new SluiceException(ErrorCode.UNAVAILABLE,
                    "the leader of " + tp + " (" + target + ") is not in the cluster"));
        }
        Promise<T> attempt = ((ContextInternal) vertx.getOrCreateContext()).promise();
        Promise<T> answer = Promise.promise();
        send(tp, target, true, request, busTimeoutMs, attempt, (result, failure) -> {
            if (failure == null) {
                answer.complete(result);
            } else {
                answer.fail(translate(failure, tp));
            }
        });
        return answer.future();
    }

    /**
     * Sends {@code request} to the replica of {@code tp} on {@code target} and completes
     * {@code attempt} (a promise of the caller's context) with its answer, or early when the
     * target cannot answer any more; {@code then} is the attempt's one listener (one, not two:
     * this runs once per request).
     */
    private <T> void send(TopicPartition tp, String target, boolean toLeader, Object request, long timeoutMs,
                          Promise<T> attempt, Completable<T> then) {
        PartitionVerticle local = target.equals(localNode) ? locals.apply(tp) : null;
        if (local != null) {
            callLocal(local, request, timeoutMs, attempt, then);
            return;
        }
        Attempt watched = new Attempt(tp, target, toLeader, vertx.getOrCreateContext(), attempt);
        inFlight.add(watched);
        attempt.future().onComplete((result, failure) -> {
            inFlight.remove(watched);
            then.complete(result, failure);
        });
        // A replica on this node that is not started yet is still reached without the cluster's
        // routing (no subscription lookup, no clustered message copy).
        vertx.eventBus().<T>request(ReplicaEndpoint.address(target), request,
                        NodeDoor.deliveryTo(target, String.valueOf(localNode), timeoutMs)).onComplete(ar -> {
            if (ar.succeeded()) {
                attempt.tryComplete(ar.result().body());
            } else {
                attempt.tryFail(ar.cause());
            }
        });
    }

    /**
     * A replica on this node is called directly, not over the event bus: the request is handled
     * on the replica's context as a bus message would be, and the answer comes back on the
     * caller's context, without the bus's message copy, reply address and reply consumer. For
     * a lone record, that is most of what a produce or a fetch costs besides the sockets.
     *
     * <p>Such an attempt is not watched: the replica answers every request, and when it stops
     * leading (moved, stopping) it answers those still waiting with NOT_LEADER itself, which the
     * watch exists to make up for on the bus. A timer on the caller's own event loop still bounds
     * the wait, as the bus's send timeout does (Netty's, not a Vert.x timer: no timer id to
     * register and look up again, as this runs for every local request).
     */
    @SuppressWarnings("unchecked")
    private <T> void callLocal(PartitionVerticle local, Object request, long timeoutMs, Promise<T> attempt, Completable<T> then) {
        ContextInternal caller = (ContextInternal) vertx.getOrCreateContext();
        ScheduledFuture<?> timer = caller.nettyEventLoop().schedule(() -> attempt.tryFail(new SluiceException(
                ErrorCode.REQUEST_TIMED_OUT, "no answer from " + local.topicPartition() + " on this node in time")),
                timeoutMs, TimeUnit.MILLISECONDS);
        attempt.future().onComplete((result, failure) -> {
            timer.cancel(false);
            then.complete(result, failure);
        });
        local.call(request, (Promise<Object>) attempt);
    }

    /** A bus failure as the error a client should see. */
    static SluiceException translate(Throwable e, TopicPartition tp) {
        // A replica not registered is one starting, stopping or moving: retried at the leader.
        return Failures.toSluice(e, new Failures.Peer(ErrorCode.UNAVAILABLE, tp + " is not being served right now",
                "no answer from the leader of " + tp + " in time"));
    }
}
