package io.sluice.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for the nodes a test starts, stops and starts again on the same port. They are taken
 * below Linux's ephemeral range (32768 and up by default): a port the kernel handed out as
 * "free" comes from that range, so an outgoing connection could take it as its local port
 * while its node is down, and the restart would fail with "address already in use".
 */
public final class FreePorts {
    private static final int LOW = 20_000;
    private static final int HIGH = 32_000;
    /** A random start, so that test JVMs running one after another do not reuse each other's ports at once. */
    private static final AtomicInteger NEXT = new AtomicInteger(LOW + ThreadLocalRandom.current().nextInt(HIGH - LOW));

    private FreePorts() {
    }

    /** A port on 127.0.0.1 that nothing listens on now, outside the ephemeral range. */
    public static int next() {
        for (int tries = 0; tries < HIGH - LOW; tries++) {
            int port = LOW + Math.floorMod(NEXT.getAndIncrement() - LOW, HIGH - LOW);
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException inUse) {
                // Taken: try the next one.
            }
        }
        throw new IllegalStateException("no free port in [" + LOW + ", " + HIGH + ")");
    }
}
