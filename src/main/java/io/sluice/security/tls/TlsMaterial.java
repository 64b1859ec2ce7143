package io.sluice.security.tls;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.TrustOptions;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The key, certificate chain and trusted CAs of one {@link TlsSettings} group as read from its files at
 * one moment, checked before anything serves them: the key must be the certificate's, the certificate
 * currently valid, a truststore must hold certificates. Vert.x is given the files' contents, not their
 * paths, so that what was checked is exactly what is served, and a later change of the files is a new
 * {@code TlsMaterial} (see {@link CertificateReloader}). Reading is blocking: call it off the event loops.
 */
public final class TlsMaterial {
    /** Key types a key manager is asked about when looking for the node's key. */
    private static final String[] KEY_TYPES = {"RSA", "EC", "EdDSA", "Ed25519", "Ed448", "DSA", "RSASSA-PSS"};

    private final List<byte[]> contents;
    private final KeyCertOptions keyCert;
    private final TrustOptions trust;
    private final X509Certificate certificate;

    private TlsMaterial(List<byte[]> contents, KeyCertOptions keyCert, TrustOptions trust, X509Certificate certificate) {
        this.contents = contents;
        this.keyCert = keyCert;
        this.trust = trust;
        this.certificate = certificate;
    }

    /** A file set that cannot be served; the message says which file and why, never a password. */
    public static final class Invalid extends Exception {
        Invalid(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Reads and checks the group's files now. */
    public static TlsMaterial load(TlsSettings settings) throws Invalid {
        return of(settings, read(settings));
    }

    /** The raw contents of the group's files, in {@link TlsSettings#files()} order. */
    static List<byte[]> read(TlsSettings settings) throws Invalid {
        List<byte[]> contents = new ArrayList<>();
        for (Path file : settings.files()) {
            try {
                contents.add(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new Invalid(file + " cannot be read: " + e, e);
            }
        }
        return Collections.unmodifiableList(contents);
    }

    /** What this material was made of, as {@link #read} returned it. */
    List<byte[]> contents() {
        return contents;
    }

    /** Whether two results of {@link #read} hold the same bytes. */
    static boolean sameContents(List<byte[]> a, List<byte[]> b) {
        if (a == null || b == null || a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Builds and checks the material from the files' contents (as {@link #read} returned them). */
    static TlsMaterial of(TlsSettings s, List<byte[]> contents) throws Invalid {
        int i = 0;
        KeyCertOptions keyCert;
        String keySource;
        if (s.cert() != null) {
            byte[] cert = contents.get(i++);
            byte[] key = contents.get(i++);
            keyCert = new PemKeyCertOptions().addCertValue(Buffer.buffer(cert)).addKeyValue(Buffer.buffer(key));
            keySource = s.cert() + " and " + s.key();
        } else {
            keyCert = new PfxOptions().setValue(Buffer.buffer(contents.get(i++))).setPassword(s.keystorePassword());
            keySource = s.keystore().toString();
        }
        X509Certificate certificate = checkKeyPair(keyCert, keySource);
        TrustOptions trust = null;
        if (s.truststore() != null) {
            trust = trustOptions(contents.get(i), s.truststorePassword());
            checkTrust(contents.get(i), trust, s.truststorePassword(), s.truststore());
        }
        return new TlsMaterial(contents, keyCert, trust, certificate);
    }

    private static TrustOptions trustOptions(byte[] content, String password) {
        // PEM is text with BEGIN lines; anything else is taken for a PKCS#12 store.
        if (new String(content, StandardCharsets.ISO_8859_1).contains("-----BEGIN ")) {
            return new PemTrustOptions().addCertValue(Buffer.buffer(content));
        }
        return new PfxOptions().setValue(Buffer.buffer(content)).setPassword(password);
    }

    /**
     * The certificate the key belongs to: the key store must hold exactly one key, whose chain's first
     * certificate carries the key's public half (a key and certificate replaced out of step would
     * otherwise be served and fail every handshake) and is valid today.
     */
    private static X509Certificate checkKeyPair(KeyCertOptions keyCert, String source) throws Invalid {
        X509KeyManager manager;
        try {
            // The options hold values, not paths, so no Vert.x instance is needed to resolve files.
            KeyManagerFactory factory = keyCert.getKeyManagerFactory(null);
            manager = x509(factory.getKeyManagers());
        } catch (Exception e) {
            throw new Invalid(source + ": no usable private key and certificate: " + reason(e), e);
        }
        List<String> aliases = new ArrayList<>();
        for (String type : KEY_TYPES) {
            String[] found = manager == null ? null : manager.getServerAliases(type, null);
            if (found != null) {
                aliases.addAll(Arrays.asList(found));
            }
        }
        if (aliases.size() != 1) {
            throw new Invalid(source + ": expected one private key with its certificate, found " + aliases.size(), null);
        }
        PrivateKey key = manager.getPrivateKey(aliases.get(0));
        X509Certificate[] chain = manager.getCertificateChain(aliases.get(0));
        if (key == null || chain == null || chain.length == 0) {
            throw new Invalid(source + ": the private key has no certificate", null);
        }
        X509Certificate leaf = chain[0];
        if (!matches(key, leaf.getPublicKey())) {
            throw new Invalid(source + ": the private key does not belong to the certificate (" + describe(leaf) + ")", null);
        }
        try {
            leaf.checkValidity();
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw new Invalid(source + ": the certificate is not valid now (" + describe(leaf) + ", valid "
                    + leaf.getNotBefore().toInstant() + " to " + leaf.getNotAfter().toInstant() + ")", e);
        }
        return leaf;
    }

    private static X509KeyManager x509(KeyManager[] managers) {
        for (KeyManager m : managers) {
            if (m instanceof X509KeyManager x) {
                return x;
            }
        }
        return null;
    }

    /** Signs a random challenge with the key and verifies it with the certificate's public key. */
    private static boolean matches(PrivateKey key, PublicKey publicKey) throws Invalid {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> null;
        };
        if (algorithm == null) {
            // A key type the check does not know: the handshake is the check.
            return true;
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (java.security.GeneralSecurityException e) {
            // A key of another algorithm than the certificate's ends here.
            return false;
        }
    }

    /**
     * The truststore must hold at least one certificate (read with the JDK's own parsers, as the
     * handshake's trust manager will be built from the same bytes).
     */
    private static void checkTrust(byte[] content, TrustOptions trust, String password, Path source) throws Invalid {
        try {
            int certificates;
            if (trust instanceof PemTrustOptions) {
                certificates = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(content)).size();
            } else {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(new ByteArrayInputStream(content), password == null ? null : password.toCharArray());
                certificates = 0;
                for (String alias : Collections.list(store.aliases())) {
                    certificates += store.getCertificate(alias) != null ? 1 : 0;
                }
            }
            if (certificates == 0) {
                throw new Invalid(source + ": holds no CA certificate", null);
            }
        } catch (Invalid e) {
            throw e;
        } catch (Exception e) {
            throw new Invalid(source + ": not a usable truststore: " + reason(e), e);
        }
    }

    private static String reason(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** A certificate as a log line names it: subject, serial (hex) and expiry. */
    public static String describe(X509Certificate c) {
        return "subject " + c.getSubjectX500Principal().getName() + ", serial " + c.getSerialNumber().toString(16)
                + ", valid until " + c.getNotAfter().toInstant();
    }

    public KeyCertOptions keyCert() {
        return keyCert;
    }

    /** The trusted CAs, or null when the group has no truststore. */
    public TrustOptions trust() {
        return trust;
    }

    /** The certificate the node presents. */
    public X509Certificate certificate() {
        return certificate;
    }
}
