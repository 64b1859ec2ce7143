package io.sluice.security;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;

/**
 * One way of establishing who an HTTP request (or WebSocket upgrade) acts for: HTTP Basic here;
 * bearer tokens, WebSocket tickets and client certificates are further implementations, tried in
 * turn by an {@link AuthenticatorChain}.
 *
 * <p>An implementation answers without blocking the event loop (work such as hashing goes to a
 * worker), and answers with an already completed future whenever it can, which lets the caller
 * go on in the same turn.
 */
public interface Authenticator {
    /**
     * @return a future of the principal the request's credentials establish; of null when the
     *         request carries no credentials of this authenticator's kind ("not mine": the next one
     *         is asked); failed with a {@link io.sluice.common.ErrorCode#UNAUTHORIZED}
     *         {@link io.sluice.common.SluiceException} when they are this kind's and do not verify.
     */
    Future<Principal> authenticate(HttpServerRequest request);
}
