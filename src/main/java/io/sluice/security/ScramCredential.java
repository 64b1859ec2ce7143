package io.sluice.security;

import java.util.Objects;

/**
 * A password as SCRAM stores it (Kafka's ScramCredential): the salt, the iteration count, and the
 * stored and server keys derived from the salted password, never the password itself. Enough to
 * verify a presented password ({@link ScramCredentials#verify}) and, later, to run a SASL/SCRAM
 * exchange for the Kafka protocol. The byte fields are base64 (as they travel in the metadata's
 * JSON), so equality is by value.
 *
 * @param mechanism  the mechanism the keys were derived with
 * @param salt       base64 of the random salt
 * @param storedKey  base64 of H(HMAC(SaltedPassword, "Client Key"))
 * @param serverKey  base64 of HMAC(SaltedPassword, "Server Key")
 * @param iterations PBKDF2 iterations, at least {@value ScramMechanism#MIN_ITERATIONS}
 */
public record ScramCredential(ScramMechanism mechanism, String salt, String storedKey, String serverKey, int iterations) {
    public ScramCredential {
        Objects.requireNonNull(mechanism, "mechanism");
        Objects.requireNonNull(salt, "salt");
        Objects.requireNonNull(storedKey, "storedKey");
        Objects.requireNonNull(serverKey, "serverKey");
        if (iterations < ScramMechanism.MIN_ITERATIONS) {
            throw new IllegalArgumentException("SCRAM iterations must be at least " + ScramMechanism.MIN_ITERATIONS);
        }
    }

    /** Never the keys: a credential printed by mistake reveals nothing. */
    @Override
    public String toString() {
        return "ScramCredential[" + mechanism.mechanismName() + ", iterations=" + iterations + "]";
    }
}
