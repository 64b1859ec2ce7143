package io.sluice.security;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;

/**
 * Raw TLS handshakes with a port, on the JDK's own client: which certificate a new connection is
 * served, and whether a handshake with given protocol versions succeeds at all.
 */
public final class TlsProbe {
    private TlsProbe() {
    }

    /** The certificate a new connection to {@code port} is served (the handshake must succeed). */
    public static X509Certificate serverCertificate(SSLContext context, int port, String... protocols) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            if (protocols.length > 0) {
                socket.setEnabledProtocols(protocols);
            }
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    /**
     * Sends {@code GET path} over a new TLS connection and returns the status line: in TLS 1.3 a
     * refused client certificate shows only when the server's first answer is read.
     */
    public static String get(SSLContext context, int port, String path) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                line.append((char) c);
            }
            if (line.length() == 0) {
                throw new IOException("connection closed without an answer");
            }
            return line.toString().trim();
        }
    }
}
