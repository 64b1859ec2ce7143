package io.sluice.security;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;

import java.util.List;

/**
 * The authenticators of a node, asked in order: the first that recognises the request's credentials
 * decides (a principal, or a 401 when they do not verify); when none does, the request has no
 * credentials and is refused with a 401. Stays synchronous when every authenticator asked answers
 * synchronously (a cached Basic verification), so the hot path pays no extra future.
 */
public final class AuthenticatorChain implements Authenticator {
    public static final String NO_CREDENTIALS = "authentication required";

    private final List<Authenticator> authenticators;

    public AuthenticatorChain(List<Authenticator> authenticators) {
        this.authenticators = List.copyOf(authenticators);
    }

    /** Never null: a principal, or failed with a 401. */
    @Override
    public Future<Principal> authenticate(HttpServerRequest request) {
        return from(0, request);
    }

    private Future<Principal> from(int index, HttpServerRequest request) {
        for (int i = index; i < authenticators.size(); i++) {
            Future<Principal> f = authenticators.get(i).authenticate(request);
            if (!f.isComplete()) {
                int next = i + 1;
                return f.compose(p -> p != null ? Future.succeededFuture(p) : from(next, request));
            }
            if (f.failed() || f.result() != null) {
                return f;
            }
        }
        return Future.failedFuture(new SluiceException(ErrorCode.UNAUTHORIZED, NO_CREDENTIALS));
    }
}
