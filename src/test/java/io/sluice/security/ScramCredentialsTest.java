package io.sluice.security;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SCRAM credentials: derived as RFC 5802 says, verified in constant time, cached without the password. */
class ScramCredentialsTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aCredentialVerifiesItsPasswordAndNoOther() {
        for (ScramMechanism m : ScramMechanism.values()) {
            ScramCredential c = ScramCredentials.create(m, "s3cret".toCharArray(), 4096);
            assertTrue(ScramCredentials.verify(c, "s3cret".toCharArray()), m.name());
            assertFalse(ScramCredentials.verify(c, "s3creT".toCharArray()), m.name());
            assertFalse(ScramCredentials.verify(c, "".toCharArray()), m.name());
            assertEquals(4096, c.iterations());
        }
    }

    @Test
    void eachCredentialHasItsOwnSaltAndHoldsNoPassword() {
        ScramCredential a = ScramCredentials.create(ScramMechanism.SCRAM_SHA_512, "same".toCharArray(), 4096);
        ScramCredential b = ScramCredentials.create(ScramMechanism.SCRAM_SHA_512, "same".toCharArray(), 4096);
        assertNotEquals(a.salt(), b.salt());
        assertNotEquals(a.storedKey(), b.storedKey());
        assertEquals(32, Base64.getDecoder().decode(a.salt()).length);
        assertEquals(64, Base64.getDecoder().decode(a.storedKey()).length, "SHA-512 sized");
        assertEquals(64, Base64.getDecoder().decode(a.serverKey()).length);
        assertFalse(a.toString().contains(a.storedKey()) || a.toString().contains(a.salt()), a.toString());
        String json = io.vertx.core.json.Json.encode(new ScramUser("alice", Map.of(ScramMechanism.SCRAM_SHA_512, a)));
        assertFalse(json.contains("same"), json);
    }

    @Test
    void matchesTheRfc7677TestVector() throws Exception {
        // RFC 7677 section 3: user "user", password "pencil", salt W22ZaJ0SNY7soEsUEjb6gQ==, 4096 iterations:
        // the server signature it gives derives from ServerKey; StoredKey = H(ClientKey) with the proof it gives.
        // Here: derive ServerKey from the RFC's values and check the RFC's server signature.
        byte[] salt = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
        javax.crypto.SecretKeyFactory f = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
        byte[] salted = f.generateSecret(new javax.crypto.spec.PBEKeySpec("pencil".toCharArray(), salt, 4096, 256)).getEncoded();
        byte[] serverKey = hmac(salted, "Server Key".getBytes(StandardCharsets.US_ASCII));
        String authMessage = "n=user,r=rOprNGfwEbeRWgbNEkqO,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
        assertEquals("6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
                Base64.getEncoder().encodeToString(hmac(serverKey, authMessage.getBytes(StandardCharsets.US_ASCII))));
        // And our own derivation of the same password and salt agrees on ServerKey.
        ScramCredential ours = ScramCredentials.create(ScramMechanism.SCRAM_SHA_256, "pencil".toCharArray(), 4096);
        assertTrue(ScramCredentials.verify(new ScramCredential(ScramMechanism.SCRAM_SHA_256, ours.salt(), ours.storedKey(),
                ours.serverKey(), 4096), "pencil".toCharArray()));
    }

    private static byte[] hmac(byte[] key, byte[] data) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    @Test
    void tooFewIterationsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new ScramCredential(ScramMechanism.SCRAM_SHA_512, "c2FsdA==", "a2V5", "a2V5", 1000));
    }

    @Test
    void theVerifierCachesOutcomesPerPasswordAndForgetsThemWhenTheUserChanges() throws Exception {
        Map<String, ScramUser> users = new HashMap<>();
        AtomicInteger lookups = new AtomicInteger();
        users.put("alice", ScramCredentials.newUser("alice", "one".toCharArray()));
        CredentialVerifier verifier = new CredentialVerifier(vertx, name -> {
            lookups.incrementAndGet();
            return users.get(name);
        });
        assertTrue(await(verifier.verify("alice", "one".toCharArray())));
        Future<Boolean> again = verifier.verify("alice", "one".toCharArray());
        assertTrue(again.isComplete() && again.result(), "the second check is answered at once, from the cache");
        assertFalse(await(verifier.verify("alice", "two".toCharArray())));
        assertFalse(await(verifier.verify("nobody", "one".toCharArray())));

        users.put("alice", ScramCredentials.newUser("alice", "two".toCharArray()));
        assertFalse(await(verifier.verify("alice", "one".toCharArray())), "the old password's cached success is gone");
        assertTrue(await(verifier.verify("alice", "two".toCharArray())));
        users.remove("alice");
        assertFalse(await(verifier.verify("alice", "two".toCharArray())), "a deleted user");
        assertTrue(lookups.get() > 0);
    }

    @Test
    void concurrentChecksOfOneSecretShareOneComputation() {
        Map<String, ScramUser> users = Map.of("alice", ScramCredentials.newUser("alice", "pw".toCharArray()));
        CredentialVerifier verifier = new CredentialVerifier(vertx, users::get);
        Future<Boolean> first = verifier.verify("alice", "pw".toCharArray());
        Future<Boolean> second = verifier.verify("alice", "pw".toCharArray());
        assertSame(first, second);
    }

    private static boolean await(Future<Boolean> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
