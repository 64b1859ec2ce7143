package io.sluice.security;

import io.sluice.config.BrokerSettings;
import io.sluice.config.ConfigException;
import io.sluice.testing.Await;
import io.sluice.testing.TestJwts;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The security.jwt.* settings and keys: defaults, and every bad value stops the node naming the setting, never the secret. */
class JwtSettingsTest {
    @TempDir
    Path dir;

    private static JwtSettings of(Map<String, String> raw) {
        return JwtSettings.of(BrokerSettings.defaults().with(raw));
    }

    @Test
    void defaultsConfigureNoKeys() {
        JwtSettings s = of(Map.of());
        assertFalse(s.configured());
        assertEquals("sub", s.principalClaim());
        assertEquals(30, s.clockSkewSeconds());
        assertEquals(List.of("RS256", "ES256", "HS256"), s.algorithms());
        assertEquals(List.of(), s.audience());
    }

    @Test
    void badValuesNameTheSettingAndHideTheSecret() {
        String shortSecret = "too-short-secret";
        ConfigException e = assertThrows(ConfigException.class, () -> of(Map.of("security.jwt.secret", shortSecret)));
        assertTrue(e.getMessage().contains("security.jwt.secret") && !e.getMessage().contains(shortSecret), e.getMessage());
        assertThrows(ConfigException.class, () -> of(Map.of("security.jwt.jwks.url", "file:///etc/passwd")));
        assertThrows(ConfigException.class, () -> of(Map.of("security.jwt.public.keys", dir.resolve("missing.pem").toString())));
        String secret = "a-secret-that-is-long-enough-for-hs256";
        JwtSettings s = of(Map.of("security.jwt.secret", secret));
        assertTrue(s.configured());
        assertFalse(s.toString().contains(secret));
    }

    @Test
    void aPemFileWithoutAUsableKeyStopsTheNode() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Path garbage = Files.writeString(dir.resolve("garbage.pem"), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
            ConfigException e = assertThrows(ConfigException.class, () -> new JwtKeys(vertx,
                    of(Map.of("security.jwt.public.keys", garbage.toString()))));
            assertTrue(e.getMessage().contains("garbage.pem"), e.getMessage());
            // An EC key with only RS algorithms accepted is of no use either.
            Path ec = Files.writeString(dir.resolve("ec.pem"), TestJwts.publicPem(TestJwts.ec().getPublic()));
            assertThrows(ConfigException.class, () -> new JwtKeys(vertx, of(Map.of("security.jwt.public.keys", ec.toString(),
                    "security.jwt.algorithms", "RS256"))));
            assertNotNull(new JwtKeys(vertx, of(Map.of("security.jwt.public.keys", ec.toString()))).current());
            // A JWKS-only configuration has no key before the first fetch: every token is refused, none runs "unsecured".
            JwtKeys jwksOnly = new JwtKeys(vertx, of(Map.of("security.jwt.jwks.url", "http://127.0.0.1:1/jwks")));
            assertNull(jwksOnly.current());
            jwksOnly.jwksFetched(List.of(new io.vertx.core.json.JsonObject().put("kty", "oct").put("k", "c2VjcmV0")));
            assertNull(jwksOnly.current(), "a document of symmetric keys only leaves it keyless");
        } finally {
            Await.result(vertx.close());
        }
    }
}
