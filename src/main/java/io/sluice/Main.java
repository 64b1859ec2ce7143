package io.sluice;

import io.sluice.config.ConfigException;
import io.sluice.config.ConfigLoader;
import io.sluice.config.NodeConfig;
import io.sluice.node.SluiceNode;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Starts a node from flags, environment and config file ({@code --help} lists them), and stops
 * it gracefully on SIGTERM or Ctrl-C: partitions are flushed and closed cleanly before the
 * process leaves the cluster. No logic lives here.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        configureLogging();
        NodeConfig config;
        try {
            config = ConfigLoader.load(args, System.getenv());
        } catch (ConfigLoader.HelpRequested e) {
            System.out.println(ConfigLoader.usage());
            return;
        } catch (ConfigException e) {
            System.err.println("sluice: " + e.getMessage());
            System.err.println("Run with --help for the list of flags and settings.");
            System.exit(2);
            return;
        }
        SluiceNode node;
        try {
            node = SluiceNode.start(config).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            // The trace goes to the log: the cause of a failed start is often a few levels down.
            System.getLogger(Main.class.getName()).log(System.Logger.Level.ERROR, "node failed to start", cause);
            System.err.println("sluice: cannot start: " + cause);
            System.exit(1);
            return;
        }
        System.out.println("Sluice node " + node.nodeId() + " listening on " + (node.httpsEnabled() ? "https" : "http") + "://" + config.httpHost() + ":"
                + node.httpPort() + " (data in " + config.dataDir().toAbsolutePath().normalize() + ")");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("sluice: unclean stop: " + e.getMessage());
            } finally {
                stopped.countDown();
            }
        }, "sluice-shutdown"));
        stopped.await();
    }

    /** Quiet defaults (Hazelcast logs a page at INFO), unless the user configured JUL himself. */
    private static void configureLogging() {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return;
        }
        try (var in = Main.class.getResourceAsStream("/sluice-logging.properties")) {
            if (in != null) {
                java.util.logging.LogManager.getLogManager().readConfiguration(in);
            }
        } catch (java.io.IOException e) {
            System.err.println("sluice: default logging configuration unreadable: " + e.getMessage());
        }
    }
}
