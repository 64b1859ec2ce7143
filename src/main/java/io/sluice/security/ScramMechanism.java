package io.sluice.security;

/**
 * The SCRAM mechanisms credentials are stored for (RFC 5802 and 7677, as Kafka's ScramMechanism):
 * each names its hash, its HMAC and the PBKDF2 that salts a password with them.
 */
public enum ScramMechanism {
    SCRAM_SHA_256("SCRAM-SHA-256", "SHA-256", "HmacSHA256", "PBKDF2WithHmacSHA256", 256),
    SCRAM_SHA_512("SCRAM-SHA-512", "SHA-512", "HmacSHA512", "PBKDF2WithHmacSHA512", 512);

    /** Kafka's minimum iteration count for SCRAM credentials. */
    public static final int MIN_ITERATIONS = 4096;

    private final String mechanismName;
    private final String hashAlgorithm;
    private final String macAlgorithm;
    private final String pbkdf2Algorithm;
    private final int keyBits;

    ScramMechanism(String mechanismName, String hashAlgorithm, String macAlgorithm, String pbkdf2Algorithm, int keyBits) {
        this.mechanismName = mechanismName;
        this.hashAlgorithm = hashAlgorithm;
        this.macAlgorithm = macAlgorithm;
        this.pbkdf2Algorithm = pbkdf2Algorithm;
        this.keyBits = keyBits;
    }

    /** The SASL name, {@code SCRAM-SHA-512}. */
    public String mechanismName() {
        return mechanismName;
    }

    String hashAlgorithm() {
        return hashAlgorithm;
    }

    String macAlgorithm() {
        return macAlgorithm;
    }

    String pbkdf2Algorithm() {
        return pbkdf2Algorithm;
    }

    int keyBits() {
        return keyBits;
    }
}
