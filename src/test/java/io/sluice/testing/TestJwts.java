package io.sluice.testing;

import io.vertx.core.json.JsonObject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * JWTs for tests, signed here with the JDK's own primitives (not with the library the node verifies
 * with): RS256, ES256 and HS256 tokens, the keys as PEM and as JWKs, and the unsigned
 * {@code alg: none} form.
 */
public final class TestJwts {
    private TestJwts() {
    }

    public static KeyPair rsa() {
        return generate("RSA", null);
    }

    public static KeyPair ec() {
        return generate("EC", new ECGenParameterSpec("secp256r1"));
    }

    private static KeyPair generate(String type, ECGenParameterSpec spec) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(type);
            if (spec != null) {
                g.initialize(spec);
            } else {
                g.initialize(2048);
            }
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String publicPem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    /** The RSA public key as a JWK with key id {@code kid}. */
    public static JsonObject rsaJwk(PublicKey key, String kid) {
        RSAPublicKey rsa = (RSAPublicKey) key;
        return new JsonObject().put("kty", "RSA").put("kid", kid).put("use", "sig").put("alg", "RS256")
                .put("n", b64(unsigned(rsa.getModulus()))).put("e", b64(unsigned(rsa.getPublicExponent())));
    }

    /** Claims that satisfy a node configured with {@code issuer} and {@code audience}, expiring in an hour. */
    public static JsonObject claims(String sub, String issuer, String audience) {
        long now = System.currentTimeMillis() / 1000;
        return new JsonObject().put("sub", sub).put("iss", issuer).put("aud", audience).put("iat", now).put("exp", now + 3600);
    }

    public static String rs256(PrivateKey key, String kid, JsonObject claims) {
        return signed("RS256", kid, claims, input -> sign("SHA256withRSA", key, input));
    }

    public static String es256(PrivateKey key, JsonObject claims) {
        return signed("ES256", null, claims, input -> sign("SHA256withECDSAinP1363Format", key, input));
    }

    public static String hs256(byte[] secret, JsonObject claims) {
        return signed("HS256", null, claims, input -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret, "HmacSHA256"));
                return mac.doFinal(input);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** An unsigned token ({@code alg: none}, empty signature), as RFC 7519 6.1 writes it. */
    public static String none(JsonObject claims) {
        return b64(new JsonObject().put("alg", "none").put("typ", "JWT").encode().getBytes(StandardCharsets.UTF_8)) + "."
                + b64(claims.encode().getBytes(StandardCharsets.UTF_8)) + ".";
    }

    /** {@code token} with its claims replaced and its signature kept. */
    public static String withClaims(String token, JsonObject claims) {
        String[] parts = token.split("\\.");
        return parts[0] + "." + b64(claims.encode().getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    }

    private interface Signer {
        byte[] sign(byte[] input);
    }

    private static String signed(String alg, String kid, JsonObject claims, Signer signer) {
        JsonObject header = new JsonObject().put("alg", alg).put("typ", "JWT");
        if (kid != null) {
            header.put("kid", kid);
        }
        String input = b64(header.encode().getBytes(StandardCharsets.UTF_8)) + "." + b64(claims.encode().getBytes(StandardCharsets.UTF_8));
        return input + "." + b64(signer.sign(input.getBytes(StandardCharsets.US_ASCII)));
    }

    private static byte[] sign(String algorithm, PrivateKey key, byte[] input) {
        try {
            Signature s = Signature.getInstance(algorithm);
            s.initSign(key);
            s.update(input);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
