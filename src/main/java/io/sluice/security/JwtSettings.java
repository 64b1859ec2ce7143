package io.sluice.security;

import io.sluice.config.BrokerSettings;
import io.sluice.config.ConfigException;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code security.jwt.*} settings, parsed and checked once at start (the PEM files read then):
 * where the keys bearer JWTs are verified against come from, and the claims checked. A bad value
 * stops the node with a message naming the setting, never the secret.
 *
 * @param publicKeyPems    the PEM text of each {@code security.jwt.public.keys} file
 * @param publicKeyFiles   those files' names, for messages
 * @param secret           the HMAC secret, or null
 * @param jwksUrl          the JWKS document's URL, or null
 * @param jwksRefreshMs    how often the JWKS document is fetched again
 * @param issuer           the required {@code iss}, or null
 * @param audience         the accepted {@code aud} values; empty: not checked
 * @param clockSkewSeconds leeway for {@code exp}, {@code nbf} and {@code iat}
 * @param principalClaim   the claim naming the principal
 * @param algorithms       the algorithms a token may be signed with
 */
public record JwtSettings(List<String> publicKeyPems, List<String> publicKeyFiles, String secret, String jwksUrl,
                          long jwksRefreshMs, String issuer, List<String> audience, int clockSkewSeconds,
                          String principalClaim, List<String> algorithms) {
    /** The shortest HMAC secret accepted: RFC 7518 3.2 wants a key as long as the hash (HS256: 32 bytes). */
    static final int MIN_SECRET_BYTES = 32;

    public static JwtSettings of(BrokerSettings broker) {
        List<String> files = split(broker.getString("security.jwt.public.keys"));
        List<String> pems = new ArrayList<>();
        for (String file : files) {
            try {
                pems.add(Files.readString(Path.of(file), StandardCharsets.US_ASCII));
            } catch (IOException | RuntimeException e) {
                throw new ConfigException("security.jwt.public.keys", "security.jwt.public.keys: cannot read " + file
                        + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        String secret = broker.getString("security.jwt.secret");
        if (secret != null && secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new ConfigException("security.jwt.secret", "security.jwt.secret: an HMAC secret must be at least "
                    + MIN_SECRET_BYTES + " bytes long");
        }
        String jwks = broker.getString("security.jwt.jwks.url");
        if (jwks != null) {
            try {
                URI uri = new URI(jwks);
                if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                    throw new URISyntaxException(jwks, "not an http or https URL");
                }
            } catch (URISyntaxException e) {
                throw new ConfigException("security.jwt.jwks.url", "security.jwt.jwks.url: expected an http or https URL, got '"
                        + jwks + "'");
            }
        }
        return new JwtSettings(List.copyOf(pems), List.copyOf(files), secret, jwks, broker.getLong("security.jwt.jwks.refresh.ms"),
                broker.getString("security.jwt.issuer"), split(broker.getString("security.jwt.audience")),
                broker.getInt("security.jwt.clock.skew.seconds"), broker.getString("security.jwt.principal.claim"),
                broker.getList("security.jwt.algorithms"));
    }

    /** Whether any key source is set: without one, no bearer token is accepted (and none is "mine"). */
    public boolean configured() {
        return !publicKeyPems.isEmpty() || secret != null || jwksUrl != null;
    }

    @Override
    public String toString() {
        return "JwtSettings[files=" + publicKeyFiles + ", secret=" + (secret == null ? "unset" : "[hidden]") + ", jwks="
                + jwksUrl + ", issuer=" + issuer + ", audience=" + audience + ", algorithms=" + algorithms + "]";
    }

    static List<String> split(String value) {
        List<String> out = new ArrayList<>();
        if (value != null) {
            for (String s : value.split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return List.copyOf(out);
    }
}
