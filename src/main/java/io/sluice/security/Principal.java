package io.sluice.security;

import java.util.Objects;

/**
 * Who a request acts for, in Kafka's form {@code <type>:<name>} ({@code User:alice}): what
 * authentication establishes and what ACLs and quotas name. A request that presented no credentials
 * while security is off acts as {@link #ANONYMOUS} ({@code User:ANONYMOUS}, as in Kafka).
 *
 * @param type the principal type; Sluice authenticates only {@value #USER_TYPE}s
 * @param name the name within the type, never empty
 */
public record Principal(String type, String name) {
    public static final String USER_TYPE = "User";
    public static final Principal ANONYMOUS = new Principal(USER_TYPE, "ANONYMOUS");

    public Principal {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        if (type.isEmpty() || type.indexOf(':') >= 0) {
            throw new IllegalArgumentException("principal type must be non-empty and without ':': " + type);
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException("principal name must not be empty");
        }
    }

    public static Principal user(String name) {
        return new Principal(USER_TYPE, name);
    }

    /**
     * Parses {@code User:alice}; the name may itself contain ':' (a certificate subject may), so
     * only the first one separates.
     */
    public static Principal parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("a principal is <type>:<name>, such as User:alice; got '" + text + "'");
        }
        return new Principal(text.substring(0, colon), text.substring(colon + 1));
    }

    @Override
    public String toString() {
        return type + ":" + name;
    }
}
