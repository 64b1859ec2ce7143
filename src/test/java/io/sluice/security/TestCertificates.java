package io.sluice.security;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Certificates the TLS tests make for themselves (none is checked in): certificate authorities, and
 * server and client certificates they sign, with EC P-256 keys (quick to generate). A server
 * certificate names 127.0.0.1 and localhost. Written as PEM (PKCS#8 keys) or PKCS#12, as a node reads them.
 */
public final class TestCertificates {
    private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime() & 0xffffffffL);

    private TestCertificates() {
    }

    /** A key pair with its certificate chain (leaf first, then the issuing CA). */
    public record Issued(KeyPair keys, X509Certificate certificate, X509Certificate issuer) {
        public BigInteger serial() {
            return certificate.getSerialNumber();
        }

        /** Writes the chain (leaf, CA) to {@code cert} and the PKCS#8 key to {@code key}, each replaced whole (atomically). */
        public Issued writePem(Path cert, Path key) throws IOException {
            writeAtomically(cert, pem("CERTIFICATE", encoded(certificate)) + pem("CERTIFICATE", encoded(issuer)));
            writeAtomically(key, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
            return this;
        }

        /** The key and chain as a Vert.x client presents them. */
        public io.vertx.core.net.PemKeyCertOptions keyCertOptions() {
            return new io.vertx.core.net.PemKeyCertOptions()
                    .addCertValue(io.vertx.core.buffer.Buffer.buffer(pem("CERTIFICATE", encoded(certificate)) + pem("CERTIFICATE", encoded(issuer))))
                    .addKeyValue(io.vertx.core.buffer.Buffer.buffer(pem("PRIVATE KEY", keys.getPrivate().getEncoded())));
        }

        /** Writes a PKCS#12 keystore with the key and chain. */
        public Issued writePkcs12(Path file, String password) throws Exception {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("node", keys.getPrivate(), password.toCharArray(), new Certificate[]{certificate, issuer});
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password.toCharArray());
            }
            return this;
        }
    }

    /** A certificate authority that signs certificates. */
    public static final class Authority {
        private final KeyPair keys;
        private final X509Certificate certificate;

        private Authority(KeyPair keys, X509Certificate certificate) {
            this.keys = keys;
            this.certificate = certificate;
        }

        public X509Certificate certificate() {
            return certificate;
        }

        /** Writes the CA certificate as PEM: a truststore file. */
        public Path writePem(Path file) throws IOException {
            writeAtomically(file, pem("CERTIFICATE", encoded(certificate)));
            return file;
        }

        /** This CA as a Vert.x client's trust. */
        public io.vertx.core.net.PemTrustOptions trustOptions() {
            return new io.vertx.core.net.PemTrustOptions().addCertValue(io.vertx.core.buffer.Buffer.buffer(pem("CERTIFICATE", encoded(certificate))));
        }

        /** A server (and client) certificate for 127.0.0.1 and localhost, valid for a day. */
        public Issued server(String commonName) {
            return issue("CN=" + commonName, true, Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(1)));
        }

        /** A client certificate with subject {@code subject} (e.g. {@code CN=alice,OU=eng,O=Acme}). */
        public Issued client(String subject) {
            return issue(subject, false, Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(1)));
        }

        /** A server certificate whose validity ended yesterday. */
        public Issued expiredServer(String commonName) {
            return issue("CN=" + commonName, true, Instant.now().minus(Duration.ofDays(3)), Instant.now().minus(Duration.ofDays(1)));
        }

        public Issued issue(String subject, boolean server, Instant notBefore, Instant notAfter) {
            try {
                KeyPair pair = keyPair();
                X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                        X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()), nextSerial(), Date.from(notBefore),
                        Date.from(notAfter), name(subject), pair.getPublic())
                        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
                        .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                                new KeyPurposeId[]{KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
                if (server) {
                    builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                            new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
                }
                return new Issued(pair, sign(builder, keys), certificate);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A new self-signed certificate authority. */
    public static Authority authority(String name) {
        try {
            KeyPair pair = keyPair();
            X500Name subject = name("CN=" + name);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, nextSerial(),
                    Date.from(Instant.now().minus(Duration.ofHours(1))), Date.from(Instant.now().plus(Duration.ofDays(30))),
                    subject, pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new Authority(pair, sign(builder, pair));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A JDK TLS context that trusts {@code trusted} and presents {@code client} when asked (null: no
     * certificate), for raw handshakes ({@link TlsProbe}).
     */
    public static javax.net.ssl.SSLContext sslContext(Authority trusted, Issued client) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", trusted.certificate());
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            javax.net.ssl.KeyManager[] keyManagers = null;
            if (client != null) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("client", client.keys().getPrivate(), "pw".toCharArray(),
                        new Certificate[]{client.certificate(), client.issuer()});
                javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
                        javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, "pw".toCharArray());
                keyManagers = new javax.net.ssl.KeyManager[]{alwaysPresent((javax.net.ssl.X509KeyManager) kmf.getKeyManagers()[0])};
            }
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(keyManagers, tmf.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A client that presents its certificate whatever CAs the server says it accepts (the JDK's own
     * would send none to a server that names another CA): how an attacker's client behaves.
     */
    private static javax.net.ssl.X509KeyManager alwaysPresent(javax.net.ssl.X509KeyManager keys) {
        return new javax.net.ssl.X509ExtendedKeyManager() {
            @Override
            public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
                return new String[]{"client"};
            }

            @Override
            public String chooseClientAlias(String[] keyType, java.security.Principal[] issuers, java.net.Socket socket) {
                return "client";
            }

            @Override
            public String chooseEngineClientAlias(String[] keyType, java.security.Principal[] issuers, javax.net.ssl.SSLEngine engine) {
                return "client";
            }

            @Override
            public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
                return null;
            }

            @Override
            public String chooseServerAlias(String keyType, java.security.Principal[] issuers, java.net.Socket socket) {
                return null;
            }

            @Override
            public X509Certificate[] getCertificateChain(String alias) {
                return keys.getCertificateChain(alias);
            }

            @Override
            public java.security.PrivateKey getPrivateKey(String alias) {
                return keys.getPrivateKey(alias);
            }
        };
    }

    /**
     * A subject written as RFC 2253 prints it ({@code CN=alice,OU=eng,O=Acme}: most specific first), encoded in
     * the order real certificates use (country or organisation first), so that it prints back the same.
     */
    private static X500Name name(String rfc2253) {
        return X500Name.getInstance(new javax.security.auth.x500.X500Principal(rfc2253).getEncoded());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    }

    private static KeyPair keyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static BigInteger nextSerial() {
        return BigInteger.valueOf(SERIALS.incrementAndGet());
    }

    private static byte[] encoded(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** Replaces {@code file} whole, as an operator's {@code mv} would, so a reader never sees half of it. */
    static void writeAtomically(Path file, String content) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".tmp-", ".pem");
        Files.writeString(tmp, content, StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
