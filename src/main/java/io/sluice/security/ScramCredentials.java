package io.sluice.security;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Derives and checks {@link ScramCredential}s with the JDK's own primitives (RFC 5802, as Kafka's
 * ScramFormatter): SaltedPassword = PBKDF2(password, salt, iterations) with the mechanism's HMAC,
 * StoredKey = H(HMAC(SaltedPassword, "Client Key")), ServerKey = HMAC(SaltedPassword, "Server Key").
 *
 * <p>Both operations run PBKDF2 for thousands of iterations, milliseconds of CPU: blocking work,
 * never on an event loop ({@link CredentialVerifier} runs them on a worker and caches successes).
 */
public final class ScramCredentials {
    /** The iterations new credentials get (Kafka's default for SCRAM-SHA-512 clients is 4096). */
    public static final int DEFAULT_ITERATIONS = 4096;
    private static final int SALT_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ScramCredentials() {
    }

    /**
     * A user with a credential of every mechanism for {@code password}, which is wiped once used.
     * Blocking (one PBKDF2 run per mechanism).
     */
    public static ScramUser newUser(String name, char[] password) {
        java.util.Map<ScramMechanism, ScramCredential> credentials = new java.util.EnumMap<>(ScramMechanism.class);
        try {
            for (ScramMechanism m : ScramMechanism.values()) {
                credentials.put(m, create(m, password, DEFAULT_ITERATIONS));
            }
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
        return new ScramUser(name, credentials);
    }

    /** A new credential for {@code password}, with a fresh random salt. Blocking. */
    public static ScramCredential create(ScramMechanism mechanism, char[] password, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] salted = saltedPassword(mechanism, password, salt, iterations);
        byte[] storedKey = storedKey(mechanism, salted);
        byte[] serverKey = hmac(mechanism, salted, "Server Key");
        Base64.Encoder b64 = Base64.getEncoder();
        return new ScramCredential(mechanism, b64.encodeToString(salt), b64.encodeToString(storedKey),
                b64.encodeToString(serverKey), iterations);
    }

    /** Whether {@code password} is the one {@code credential} was derived from, in constant time. Blocking. */
    public static boolean verify(ScramCredential credential, char[] password) {
        ScramMechanism m = credential.mechanism();
        Base64.Decoder b64 = Base64.getDecoder();
        byte[] salted = saltedPassword(m, password, b64.decode(credential.salt()), credential.iterations());
        return MessageDigest.isEqual(storedKey(m, salted), b64.decode(credential.storedKey()));
    }

    /**
     * Hi(password, salt, i) of RFC 5802, which is PBKDF2. The JDK's PBKDF2 encodes the password's
     * chars as UTF-8, as SCRAM asks (SASLprep, which RFC 5802 adds, leaves ASCII unchanged; Kafka's
     * formatter does not apply it either).
     */
    private static byte[] saltedPassword(ScramMechanism m, char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, m.keyBits());
        try {
            return SecretKeyFactory.getInstance(m.pbkdf2Algorithm()).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(m.pbkdf2Algorithm() + " is not available in this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }

    private static byte[] storedKey(ScramMechanism m, byte[] saltedPassword) {
        try {
            return MessageDigest.getInstance(m.hashAlgorithm()).digest(hmac(m, saltedPassword, "Client Key"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(m.hashAlgorithm() + " is not available in this JDK", e);
        }
    }

    private static byte[] hmac(ScramMechanism m, byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance(m.macAlgorithm());
            mac.init(new SecretKeySpec(key, m.macAlgorithm()));
            return mac.doFinal(text.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(m.macAlgorithm() + " is not available in this JDK", e);
        }
    }
}
