package io.sluice.security.tls;

import io.sluice.config.BrokerSettings;
import io.vertx.core.http.ClientAuth;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One TLS setting group as the node uses it: {@code security.tls.*} for the HTTP port (HTTPS, WSS) or
 * {@code security.bus.tls.*} for the event bus between nodes. Which files hold the key, the certificate
 * chain and the trusted CAs, whether peers must present a certificate, and the protocol versions. The
 * settings loader has already checked that the group is whole (see {@code BrokerSettings}).
 *
 * @param group            the settings prefix, for messages ({@code security.tls})
 * @param cert             PEM certificate chain, or null (then {@code keystore}, or TLS is off)
 * @param key              PEM private key of {@code cert}, or null
 * @param keystore         PKCS#12 key and chain, or null
 * @param keystorePassword the keystore's password (a secret: never in {@link #toString()})
 * @param truststore       PEM or PKCS#12 CA certificates that peers' certificates must verify against, or null
 * @param truststorePassword a PKCS#12 truststore's password (a secret)
 * @param clientAuth       whether peers are asked for a certificate
 * @param protocols        the TLS versions accepted
 * @param reloadIntervalMs how often the files are checked for changes; 0 never
 */
public record TlsSettings(String group, Path cert, Path key, Path keystore, String keystorePassword, Path truststore,
        String truststorePassword, ClientAuth clientAuth, Set<String> protocols, long reloadIntervalMs) {

    public TlsSettings {
        protocols = Set.copyOf(new LinkedHashSet<>(protocols));
    }

    /** The HTTP port's TLS ({@code security.tls.*}). */
    public static TlsSettings http(BrokerSettings broker) {
        // Kafka's words (ssl.client.auth) to Vert.x's.
        ClientAuth clientAuth = switch (broker.getString("security.tls.client.auth")) {
            case "required" -> ClientAuth.REQUIRED;
            case "requested" -> ClientAuth.REQUEST;
            default -> ClientAuth.NONE;
        };
        return of(broker, "security.tls", clientAuth);
    }

    /**
     * The event bus's mutual TLS ({@code security.bus.tls.*}): every peer must present a certificate
     * that the bus truststore verifies, in both directions (Vert.x's defaults trust every server and
     * ask no client certificate).
     */
    public static TlsSettings bus(BrokerSettings broker) {
        return of(broker, "security.bus.tls", ClientAuth.REQUIRED);
    }

    private static TlsSettings of(BrokerSettings broker, String group, ClientAuth clientAuth) {
        return new TlsSettings(group, path(broker, group + ".cert"), path(broker, group + ".key"),
                path(broker, group + ".keystore"), broker.getString(group + ".keystore.password"),
                path(broker, group + ".truststore"), broker.getString(group + ".truststore.password"), clientAuth,
                new LinkedHashSet<>(broker.getList("security.tls.protocols")),
                broker.getLong("security.tls.reload.interval.ms"));
    }

    private static Path path(BrokerSettings broker, String name) {
        String value = broker.getString(name);
        return value == null ? null : Path.of(value);
    }

    /** Whether this group is configured at all (a certificate by either form). */
    public boolean enabled() {
        return cert != null || keystore != null;
    }

    /** The files this group reads, in a fixed order: the ones a reload watches. */
    public List<Path> files() {
        List<Path> files = new ArrayList<>();
        for (Path p : new Path[]{cert, key, keystore, truststore}) {
            if (p != null) {
                files.add(p);
            }
        }
        return files;
    }

    /** Everything but the passwords. */
    @Override
    public String toString() {
        return group + "{files=" + files() + ", clientAuth=" + clientAuth + ", protocols=" + protocols
                + ", reloadIntervalMs=" + reloadIntervalMs + "}";
    }
}
