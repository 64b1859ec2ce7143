package io.sluice.tools.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ceiling-server}: starts a {@link CeilingServer} and keeps it up until the process is
 * told to stop (SIGTERM), then closes it. Prints {@code ceiling server listening on ...} once it
 * accepts connections, which scripts wait for.
 */
@Command(name = "ceiling-server",
        description = "The HTTP ceiling for produce-single: a Vert.x server that reads each POST and answers 200 "
                + "with a body shaped like the node's, doing no work. Stops on SIGTERM.")
final class CeilingServerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--host", paramLabel = "H", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

    @Option(names = "--port", paramLabel = "P", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
    int port = 8090;

    // As many loops (and server instances) as a node has by default (SluiceNode.defaultEventLoops).
    @Option(names = "--event-loops", paramLabel = "N",
            description = "Event loops, one server instance each (default: ${DEFAULT-VALUE}, as a node).")
    int eventLoops = Math.max(2, Runtime.getRuntime().availableProcessors());

    @Override
    public Integer call() throws Exception {
        Checks.atLeast(spec, "--event-loops", eventLoops, 1);
        CeilingServer.Running running = CeilingServer.start(host, port, eventLoops);
        System.out.println("ceiling server listening on http://" + host + ":" + port + " (" + eventLoops + " instances, "
                + (running.vertx().isNativeTransportEnabled() ? "epoll" : "NIO") + " transport)");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } catch (Exception e) {
                System.err.println("ceiling server: unclean stop: " + e.getMessage());
            } finally {
                stopped.countDown();
            }
        }, "ceiling-shutdown"));
        stopped.await();
        return 0;
    }
}
