package io.sluice.tools.bench;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.net.URI;

/** Options of every workload: the node it drives, the topic, and the run's deadline. */
final class Target {
    @Option(names = "--url", paramLabel = "URL", description = "The node's HTTP address, http:// or https:// (default: ${DEFAULT-VALUE}).")
    URI url = URI.create("http://127.0.0.1:8080");

    @Option(names = "--ca", paramLabel = "FILE", description = "With an https --url: the PEM CA certificate(s) the node's certificate is verified against.")
    java.nio.file.Path ca;

    @Option(names = "--insecure", description = "With an https --url: trust any certificate the node presents (measuring, never production).")
    boolean insecure;

    @Option(names = "--user", paramLabel = "NAME:PASSWORD",
            description = "HTTP Basic credentials sent with every request and WebSocket upgrade (a node with security.enabled=true).")
    String user;

    @Option(names = "--topic", paramLabel = "T", description = "The topic (default: ${DEFAULT-VALUE}).")
    String topic = "bench";

    @Option(names = "--client-id", paramLabel = "ID",
            description = "Sent as X-Client-Id on every produce request and WebSocket upgrade: the client id quotas are measured under.")
    String clientId;


    @Option(names = "--timeout-s", paramLabel = "T", description = "Deadline for the whole workload, s (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds = 600;

    void validate(CommandSpec spec) {
        Checks.hostAndPort(spec, "--url", url);
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--url must be http:// or https://, got " + url);
        }
        if (!tls() && (ca != null || insecure)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--ca and --insecure need an https --url");
        }
        if (ca != null && insecure) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give --ca or --insecure, not both");
        }
        Checks.atLeast(spec, "--timeout-s", timeoutSeconds, 1);
        if (user != null && user.indexOf(':') <= 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--user is NAME:PASSWORD");
        }
    }

    /** The {@code Authorization} header for {@code --user}, or null without it. */
    String authorization() {
        return user == null ? null : "Basic " + java.util.Base64.getEncoder()
                .encodeToString(user.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * {@code req} with what identifies the client: the {@code Authorization} header for {@code --user}
     * and {@code X-Client-Id} for {@code --client-id}, when given.
     */
    io.vertx.core.http.RequestOptions authorized(io.vertx.core.http.RequestOptions req) {
        String auth = authorization();
        if (auth != null) {
            req.putHeader("authorization", auth);
        }
        return clientId == null ? req : req.putHeader("x-client-id", clientId);
    }

    /** Whether the node speaks HTTPS (and WSS). */
    boolean tls() {
        return "https".equalsIgnoreCase(url.getScheme());
    }

    /** {@code options} set up for the node's TLS, when it has TLS: verified against {@code --ca}, the JDK's CAs, or nothing. */
    <T extends io.vertx.core.net.ClientOptionsBase> T tls(T options) {
        if (tls()) {
            options.setSsl(true);
            if (insecure) {
                options.setTrustAll(true);
                options.getSslOptions().setHostnameVerificationAlgorithm("");
                if (options instanceof io.vertx.core.http.HttpClientOptions http) {
                    http.setVerifyHost(false);
                } else if (options instanceof io.vertx.core.http.WebSocketClientOptions ws) {
                    ws.setVerifyHost(false);
                }
            } else if (ca != null) {
                options.setTrustOptions(new io.vertx.core.net.PemTrustOptions().addCertPath(ca.toString()));
            }
        }
        return options;
    }

    String host() {
        return url.getHost();
    }

    int port() {
        return url.getPort();
    }
}
