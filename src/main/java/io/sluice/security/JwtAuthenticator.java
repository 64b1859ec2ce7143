package io.sluice.security;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.NoSuchKeyIdException;
import io.vertx.ext.auth.jwt.JWTAuth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Bearer JWTs (RFC 6750, RFC 7519): {@code Authorization: Bearer <JWT>} verified by vertx-auth-jwt
 * against {@link JwtKeys}: the signature, an algorithm of {@code security.jwt.algorithms} (never
 * {@code none}), {@code exp} (required), {@code nbf} and {@code iat} within
 * {@code security.jwt.clock.skew.seconds}, {@code iss} and {@code aud} when configured. The
 * principal is {@code User:<claim>} of {@code security.jwt.principal.claim}.
 *
 * <p>A request with a Bearer header is this authenticator's: a token that does not verify, for
 * whatever reason, gets the same 401 naming nothing of the token. Verification is signature
 * arithmetic on the calling thread, no I/O (vertx-auth-jwt's {@code authenticate} completes at
 * once; a token naming a key id not known yet waits, without blocking, for one fetch of the JWKS);
 * nothing is cached, so a token stops working the second it expires.
 */
public final class JwtAuthenticator implements Authenticator {
    static final String INVALID = "invalid bearer token";
    private static final System.Logger LOG = System.getLogger(JwtAuthenticator.class.getName());
    private static final String SCHEME = "Bearer ";

    private final JwtKeys keys;
    private final JwksRefresher jwks;
    private final List<String> algorithms;
    private final String principalClaim;

    JwtAuthenticator(JwtKeys keys, JwksRefresher jwks, JwtSettings settings) {
        this.keys = keys;
        this.jwks = jwks;
        this.algorithms = settings.algorithms();
        this.principalClaim = settings.principalClaim();
    }

    @Override
    public Future<Principal> authenticate(HttpServerRequest request) {
        String header = request.getHeader(HttpHeaderNames.AUTHORIZATION);
        boolean bare = header != null && header.trim().equalsIgnoreCase(SCHEME.trim());
        if (header == null || !bare && !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Future.succeededFuture();
        }
        String token = bare ? "" : header.substring(SCHEME.length()).trim();
        // (The algorithm is checked before any key is looked at: "none", and algorithms the
        // operator did not expect, are refused whatever keys there are.)
        String alg = algorithm(token);
        if (alg == null || !algorithms.contains(alg)) {
            return invalid("algorithm not accepted");
        }
        return verify(token, true);
    }

    /** Verifies with the current keys; a token naming an unknown key id may fetch the JWKS once and try again. */
    private Future<Principal> verify(String token, boolean mayFetch) {
        JWTAuth auth = keys.current();
        if (auth == null) {
            return invalid("no keys to verify with yet");
        }
        Future<User> user;
        try {
            user = auth.authenticate(new TokenCredentials(token));
        } catch (RuntimeException e) {
            return invalid(e.getClass().getSimpleName());
        }
        return user.transform(ar -> {
            if (ar.succeeded()) {
                return principal(ar.result());
            }
            if (ar.cause() instanceof NoSuchKeyIdException && jwks != null && mayFetch) {
                return jwks.unknownKey().compose(fetched -> fetched ? verify(token, false) : invalid("unknown key id"));
            }
            return invalid(ar.cause().getClass().getSimpleName());
        });
    }

    private Future<Principal> principal(User user) {
        JsonObject claims = user.attributes().getJsonObject("accessToken");
        if (claims == null || !(claims.getValue("exp") instanceof Number)) {
            return invalid("no exp claim");
        }
        Object name = claims.getValue(principalClaim);
        if (!(name instanceof String s) || s.isEmpty()) {
            return invalid("no " + principalClaim + " claim");
        }
        return Future.succeededFuture(Principal.user(s));
    }

    /** The {@code alg} of the token's header; null when the token is not a JWS. */
    private static String algorithm(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return null;
        }
        try {
            JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8));
            return header.getValue("alg") instanceof String s ? s : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A 401 naming nothing of the token; why is logged at debug level (never the token). */
    private static Future<Principal> invalid(String why) {
        LOG.log(System.Logger.Level.DEBUG, () -> "bearer token refused: " + why);
        return Future.failedFuture(new SluiceException(ErrorCode.UNAUTHORIZED, INVALID));
    }
}
