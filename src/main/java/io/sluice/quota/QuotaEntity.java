package io.sluice.quota;

import io.sluice.security.Principal;

/**
 * What a quota override names, as Kafka's quota entities: a principal ({@code User:alice}), a
 * client id ({@code client-id:billing}), or both ({@code User:alice&client-id:billing}).
 *
 * @param user     the principal, or null for any
 * @param clientId the client id, or null for any
 */
public record QuotaEntity(Principal user, String clientId) {
    static final String CLIENT_PREFIX = "client-id:";

    public QuotaEntity {
        if (user == null && clientId == null) {
            throw new IllegalArgumentException("a quota entity names a principal, a client id or both");
        }
    }

    /** Parses {@code User:alice}, {@code client-id:billing} or {@code User:alice&client-id:billing}. */
    public static QuotaEntity parse(String text) {
        Principal user = null;
        String clientId = null;
        for (String part : text.split("&")) {
            String p = part.trim();
            if (p.startsWith(CLIENT_PREFIX) && p.length() > CLIENT_PREFIX.length() && clientId == null) {
                clientId = p.substring(CLIENT_PREFIX.length());
            } else if (user == null && !p.startsWith(CLIENT_PREFIX)) {
                user = Principal.parse(p);
            } else {
                throw new IllegalArgumentException("expected User:<name>, client-id:<id> or both joined by '&', got '" + text + "'");
            }
        }
        return new QuotaEntity(user, clientId);
    }

    @Override
    public String toString() {
        return user == null ? CLIENT_PREFIX + clientId : clientId == null ? user.toString() : user + "&" + CLIENT_PREFIX + clientId;
    }
}
