package io.sluice.security;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Checks a user's presented password against its stored {@link ScramCredential}, off the event
 * loop, and remembers the outcome: verifying costs thousands of PBKDF2 iterations, and a client
 * sending Basic credentials with every produce request must not pay that each time.
 *
 * <p>The cache is keyed by the user and an HMAC of the presented password under a key drawn at
 * start (so the cache holds no password, nor a hash that could be attacked offline), and each entry
 * records the credential it was checked against: when the user's credential changes (a new
 * password, a deleted user) the entry no longer applies. Concurrent checks of the same secret share
 * one computation. Thread-safe.
 */
public final class CredentialVerifier {
    /** Remembered outcomes; beyond this the cache is cleared, which only costs re-verifying. */
    private static final int MAX_ENTRIES = 10_000;
    static final ScramMechanism MECHANISM = ScramMechanism.SCRAM_SHA_512;
    /** What a password for a user that does not exist is checked against: no password derives its zero key. */
    private static final ScramCredential UNKNOWN_USER = new ScramCredential(MECHANISM,
            java.util.Base64.getEncoder().encodeToString(new byte[32]), java.util.Base64.getEncoder().encodeToString(new byte[64]),
            java.util.Base64.getEncoder().encodeToString(new byte[64]), ScramCredentials.DEFAULT_ITERATIONS);

    private final Vertx vertx;
    private final Function<String, ScramUser> users;
    private final SecretKeySpec cacheKey;
    private final ThreadLocal<Mac> macs;
    private final Map<Key, Entry> cache = new ConcurrentHashMap<>();

    /** @param users the user of a name in the current metadata, or null */
    public CredentialVerifier(Vertx vertx, Function<String, ScramUser> users) {
        this.vertx = vertx;
        this.users = users;
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.cacheKey = new SecretKeySpec(key, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(cacheKey);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
            }
        });
    }

    /**
     * Whether {@code password} is {@code user}'s: a completed future when the answer is cached,
     * else one completed by a worker (for an unknown user too, at the same cost).
     */
    public Future<Boolean> verify(String user, char[] password) {
        ScramUser u = users.apply(user);
        ScramCredential found = u == null ? null : u.credential(MECHANISM);
        // An unknown user costs the same PBKDF2 as a known one, so that timing does not tell which
        // names exist; its check can never succeed.
        ScramCredential credential = found != null ? found : UNKNOWN_USER;
        Key key = new Key(user, digest(password));
        Entry entry = cache.get(key);
        if (entry != null && entry.credential.equals(credential)) {
            return entry.outcome;
        }
        if (cache.size() >= MAX_ENTRIES) {
            cache.clear();
        }
        char[] copy = password.clone();
        Future<Boolean> outcome = vertx.executeBlocking(() -> {
            try {
                return ScramCredentials.verify(credential, copy) && credential != UNKNOWN_USER;
            } finally {
                java.util.Arrays.fill(copy, '\0');
            }
        }, false);
        Entry mine = new Entry(credential, outcome);
        Entry raced = cache.putIfAbsent(key, mine);
        if (raced != null && raced.credential.equals(credential)) {
            return raced.outcome;
        }
        if (raced != null) {
            cache.put(key, mine);
        }
        // A verification that failed to run (not a wrong password) is not remembered.
        outcome.onFailure(e -> cache.remove(key, mine));
        return outcome;
    }

    private ByteBuffer digest(char[] password) {
        ByteBuffer utf8 = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        Mac mac = macs.get();
        mac.update(utf8);
        return ByteBuffer.wrap(mac.doFinal());
    }

    private record Key(String user, ByteBuffer digest) {
    }

    private record Entry(ScramCredential credential, Future<Boolean> outcome) {
    }
}
