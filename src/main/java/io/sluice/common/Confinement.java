package io.sluice.common;

import io.vertx.core.Context;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The thread that owns some state: the event loop of the Vert.x context that a partition replica,
 * a WebSocket session or the controller runs on. Such state takes no locks, and is correct only
 * while nothing touches it from another thread. {@link #check()} at each way in (a message or
 * request handler, a timer, the continuation of work done on another thread, a method that other
 * objects call) turns that rule from a comment into a check.
 *
 * <p>The owner is the thread itself, not the context: a Vert.x event-loop context runs every task
 * on one thread for its life, and so do the contexts duplicated from it (an event-bus handler's, a
 * timer's set from a handler) and the tasks Netty runs on that loop outside any context (see
 * {@code ProduceTurn}). The thread is what makes state safe to touch without locks.
 *
 * <p>Checks run when assertions are enabled for this class ({@code -ea}, or
 * {@code -ea:io.sluice...}): in every test run (surefire and failsafe enable them, and the tests
 * start node JVMs with them), and in a node started so. Otherwise {@link #check()} tests a constant, which the JIT removes.
 *
 * <p>A violation throws an {@link AssertionError} naming the owner, its thread and the thread that
 * came in. Thrown on a Vert.x thread it would only be logged (Vert.x reports what a handler
 * throws, then carries on), so each is also counted ({@link #violations()}), and the tests fail
 * on any.
 */
public final class Confinement {
    private static final boolean CHECKED = Confinement.class.desiredAssertionStatus();
    private static final AtomicLong VIOLATIONS = new AtomicLong();
    private static volatile AssertionError lastViolation;

    private final String owner;
    private final Thread thread;

    private Confinement(String owner, Thread thread) {
        this.owner = owner;
        this.thread = thread;
    }

    /**
     * Confines {@code owner} (a description: class and instance) to the event loop this is called
     * on: call it where the owner starts on its own context (a verticle's {@code start}, a
     * socket's handler).
     *
     * @throws AssertionError with checks on, when called on a thread that is not an event loop
     */
    public static Confinement toCurrentEventLoop(String owner) {
        if (CHECKED && !Context.isOnEventLoopThread()) {
            throw violation(owner + " must be confined to the event loop it starts on, but started on thread '"
                    + Thread.currentThread().getName() + "', which is no Vert.x event loop");
        }
        return new Confinement(owner, Thread.currentThread());
    }

    /**
     * Asserts that the current thread is the owner's event loop.
     *
     * @throws AssertionError with checks on, on any other thread
     */
    public void check() {
        if (CHECKED && Thread.currentThread() != thread) {
            throw violation(owner + " is confined to its event loop, thread '" + thread.getName()
                    + "', but was entered on thread '" + Thread.currentThread().getName() + "'");
        }
    }

    /** Whether checks run in this JVM (assertions are enabled for this class). */
    public static boolean checked() {
        return CHECKED;
    }

    /** Violations detected in this JVM so far (with checks on), for tests that fail on any. */
    public static long violations() {
        return VIOLATIONS.get();
    }

    /** The last violation detected in this JVM, or null. */
    public static AssertionError lastViolation() {
        return lastViolation;
    }

    private static AssertionError violation(String message) {
        AssertionError e = new AssertionError("confinement violated: " + message);
        lastViolation = e;
        VIOLATIONS.incrementAndGet();
        return e;
    }

    @Override
    public String toString() {
        return owner + " on " + thread.getName();
    }
}
