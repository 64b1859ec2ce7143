package io.sluice.security;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * HTTP Basic (RFC 7617): {@code Authorization: Basic base64(user:password)}, checked against the
 * user's stored SCRAM credential by the {@link CredentialVerifier}. A request without a Basic
 * header is not this authenticator's. A wrong password and an unknown user get the same 401, so
 * that user names cannot be probed; neither the password nor the header appears in any message.
 */
public final class BasicAuthenticator implements Authenticator {
    static final String INVALID = "invalid credentials";
    private static final String SCHEME = "Basic ";

    private final CredentialVerifier verifier;

    public BasicAuthenticator(CredentialVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public Future<Principal> authenticate(HttpServerRequest request) {
        String header = request.getHeader(HttpHeaderNames.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Future.succeededFuture();
        }
        char[] decoded;
        try {
            byte[] raw = Base64.getDecoder().decode(header.substring(SCHEME.length()).trim());
            CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(raw));
            decoded = Arrays.copyOf(chars.array(), chars.limit());
            Arrays.fill(raw, (byte) 0);
        } catch (IllegalArgumentException e) {
            return invalid();
        }
        int colon = -1;
        for (int i = 0; i < decoded.length; i++) {
            if (decoded[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon <= 0) {
            return invalid();
        }
        String user = new String(decoded, 0, colon);
        char[] password = Arrays.copyOfRange(decoded, colon + 1, decoded.length);
        Arrays.fill(decoded, '\0');
        Future<Boolean> verified;
        try {
            verified = verifier.verify(user, password);
        } finally {
            Arrays.fill(password, '\0');
        }
        if (verified.isComplete()) {
            return verified.succeeded() && verified.result() ? Future.succeededFuture(Principal.user(user)) : invalid();
        }
        return verified.transform(ar -> ar.succeeded() && ar.result() ? Future.succeededFuture(Principal.user(user)) : invalid());
    }

    private static Future<Principal> invalid() {
        return Future.failedFuture(new SluiceException(ErrorCode.UNAUTHORIZED, INVALID));
    }
}
