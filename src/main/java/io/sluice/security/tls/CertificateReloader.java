package io.sluice.security.tls;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Owns the HTTP port's current {@link TlsMaterial} and replaces it without a restart: every
 * {@code security.tls.reload.interval.ms} it reads the files again (on a worker thread), and when their
 * contents changed and the new set checks out, hands it to every server instance of the port
 * ({@link HttpServer#updateSSLOptions}); connections opened from then on see the new certificate,
 * open ones keep theirs. A new set that does not check out (a key that is not the certificate's, a
 * file half written, an expired certificate) is logged once, with the reason, and the old one stays.
 */
public final class CertificateReloader {
    private static final System.Logger LOG = System.getLogger(CertificateReloader.class.getName());

    private final Vertx vertx;
    private final TlsSettings settings;
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
    private volatile TlsMaterial current;
    /** The contents last refused, so that a bad file is reported once rather than every interval. */
    private volatile List<byte[]> rejected;
    private boolean checking;
    private long timer = -1;

    public CertificateReloader(Vertx vertx, TlsSettings settings, TlsMaterial initial) {
        this.vertx = vertx;
        this.settings = settings;
        this.current = initial;
    }

    public TlsSettings settings() {
        return settings;
    }

    /** The material the port serves now; a server instance starting now is configured with it. */
    public TlsMaterial current() {
        return current;
    }

    /** Starts watching the files (unless the interval is 0). */
    public CertificateReloader start() {
        if (settings.reloadIntervalMs() > 0) {
            timer = vertx.setPeriodic(settings.reloadIntervalMs(), id -> check());
        }
        return this;
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** A listening server instance of the port, to be given every new certificate. */
    public void watch(HttpServer server) {
        servers.add(server);
    }

    public void forget(HttpServer server) {
        servers.remove(server);
    }

    /** One look at the files; runs on the timer's event loop, the reading and checking on a worker. */
    private void check() {
        if (checking) {
            return;
        }
        checking = true;
        checkNow().onComplete(ar -> checking = false);
    }

    /** Looks at the files now; completes once a changed valid set is served or refused (tests wait on it). */
    Future<Void> checkNow() {
        return vertx.executeBlocking(this::readChanged, false)
                .compose(material -> material == null ? Future.<Void>succeededFuture() : install(material).mapEmpty());
    }

    /** The new material if the files changed and check out; null when nothing is to be done. */
    private TlsMaterial readChanged() {
        List<byte[]> contents;
        try {
            contents = TlsMaterial.read(settings);
        } catch (TlsMaterial.Invalid e) {
            // A file being replaced may be missing for a moment: the next look will see it.
            LOG.log(System.Logger.Level.DEBUG, settings.group() + " files not readable now: " + e.getMessage());
            return null;
        }
        if (TlsMaterial.sameContents(current.contents(), contents) || TlsMaterial.sameContents(rejected, contents)) {
            return null;
        }
        try {
            return TlsMaterial.of(settings, contents);
        } catch (TlsMaterial.Invalid e) {
            rejected = contents;
            LOG.log(System.Logger.Level.WARNING, settings.group() + " files changed but cannot be served, keeping "
                    + TlsMaterial.describe(current.certificate()) + ": " + e.getMessage());
            return null;
        }
    }

    private Future<?> install(TlsMaterial material) {
        List<Future<Boolean>> updates = new ArrayList<>();
        for (HttpServer server : servers) {
            updates.add(server.updateSSLOptions(HttpTls.sslOptions(settings, material)));
        }
        return Future.all(updates)
                .onSuccess(x -> {
                    current = material;
                    rejected = null;
                    LOG.log(System.Logger.Level.INFO, settings.group() + " reloaded: now serving "
                            + TlsMaterial.describe(material.certificate()));
                })
                .onFailure(e -> {
                    rejected = material.contents();
                    LOG.log(System.Logger.Level.WARNING, settings.group() + " reload refused by the server, keeping "
                            + TlsMaterial.describe(current.certificate()) + ": " + e.getMessage());
                });
    }
}
