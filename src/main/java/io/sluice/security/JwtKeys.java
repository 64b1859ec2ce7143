package io.sluice.security;

import io.sluice.config.ConfigException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The keys bearer JWTs are verified against, as one vertx-auth-jwt {@link JWTAuth}: the PEM public
 * keys and the HMAC secret of the settings, fixed at start, plus the keys of the JWKS document,
 * replaced whenever it is fetched again ({@link #jwksFetched}). Swapped whole, so a verification
 * sees one consistent set; null while there is no key at all, which must refuse every token
 * (vertx-auth-jwt without keys would run "unsecured" and accept {@code alg: none}).
 */
final class JwtKeys {
    private static final System.Logger LOG = System.getLogger(JwtKeys.class.getName());

    private final Vertx vertx;
    private final JWTOptions options;
    private final List<PubSecKeyOptions> fixed;
    private final AtomicReference<JWTAuth> current = new AtomicReference<>();

    /** Checks every configured key at start: a PEM file that holds no usable key stops the node, naming it. */
    JwtKeys(Vertx vertx, JwtSettings settings) {
        this.vertx = vertx;
        this.options = new JWTOptions().setLeeway(settings.clockSkewSeconds()).setIssuer(settings.issuer());
        if (!settings.audience().isEmpty()) {
            options.setAudience(settings.audience());
        }
        List<PubSecKeyOptions> keys = new ArrayList<>();
        for (int i = 0; i < settings.publicKeyPems().size(); i++) {
            List<PubSecKeyOptions> usable = new ArrayList<>();
            for (String alg : settings.algorithms()) {
                if (alg.startsWith("HS")) {
                    continue;
                }
                PubSecKeyOptions key = new PubSecKeyOptions().setAlgorithm(alg).setBuffer(settings.publicKeyPems().get(i));
                if (usable(key)) {
                    usable.add(key);
                }
            }
            if (usable.isEmpty()) {
                throw new ConfigException("security.jwt.public.keys", "security.jwt.public.keys: " + settings.publicKeyFiles().get(i)
                        + " holds no PEM public key usable with security.jwt.algorithms " + settings.algorithms());
            }
            keys.addAll(usable);
        }
        if (settings.secret() != null) {
            List<String> hmac = settings.algorithms().stream().filter(a -> a.startsWith("HS")).toList();
            if (hmac.isEmpty()) {
                throw new ConfigException("security.jwt.secret", "security.jwt.secret is set but security.jwt.algorithms names"
                        + " no HS algorithm");
            }
            for (String alg : hmac) {
                keys.add(new PubSecKeyOptions().setAlgorithm(alg).setBuffer(settings.secret()));
            }
        }
        this.fixed = List.copyOf(keys);
        current.set(fixed.isEmpty() ? null : build(List.of()));
    }

    /** The verifier of the current keys; null when there is none (every token is then refused). */
    JWTAuth current() {
        return current.get();
    }

    /**
     * A JWKS document arrived: its RSA and EC signing keys replace the previous document's. Symmetric
     * ({@code oct}) keys are ignored: a secret has no business in a published document. A document
     * without a usable key keeps the previous keys (an empty answer during an outage must not
     * lock everyone out, nor leave the verifier keyless).
     */
    void jwksFetched(List<JsonObject> jwks) {
        List<JsonObject> keys = new ArrayList<>();
        for (JsonObject jwk : jwks) {
            String kty = jwk.getString("kty");
            if (("RSA".equals(kty) || "EC".equals(kty)) && usable(jwk)) {
                keys.add(jwk);
            }
        }
        if (keys.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "security.jwt.jwks.url: the document holds no usable RSA or EC key; keeping the previous keys");
            return;
        }
        current.set(build(keys));
    }

    private JWTAuth build(List<JsonObject> jwks) {
        JWTAuthOptions auth = new JWTAuthOptions().setJWTOptions(options);
        fixed.forEach(auth::addPubSecKey);
        jwks.forEach(auth::addJwk);
        return JWTAuth.create(vertx, auth);
    }

    private boolean usable(PubSecKeyOptions key) {
        try {
            JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(key));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * (vertx-auth-jwt only logs a JWK it cannot use and goes on; parsing each here first is how a
     * document of unusable keys is told from a good one, which must never leave the verifier keyless.)
     */
    private static boolean usable(JsonObject jwk) {
        try {
            new io.vertx.ext.auth.impl.jose.JWK(jwk);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
