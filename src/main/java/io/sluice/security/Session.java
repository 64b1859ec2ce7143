package io.sluice.security;

import java.util.Objects;

/**
 * Who a request acts for and where it comes from (Kafka's request Session): what authentication
 * established, and what the authorizer is asked about.
 *
 * @param principal the authenticated principal ({@link Principal#ANONYMOUS} while security is off)
 * @param host      the client's IP address, as ACL hosts name it
 */
public record Session(Principal principal, String host) {
    public Session {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(host, "host");
    }

    public static Session anonymous(String host) {
        return new Session(Principal.ANONYMOUS, host == null ? "" : host);
    }
}
