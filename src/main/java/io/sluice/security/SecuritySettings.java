package io.sluice.security;

import io.sluice.config.BrokerSettings;
import io.sluice.config.ConfigException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The security settings of a node, parsed and checked once at start: {@code security.enabled},
 * {@code super.users} (Kafka's form, {@code User:admin;User:ops}), {@code allow.everyone.if.no.acl.found},
 * {@code security.bootstrap.users} ({@code name:password,...}), the bearer JWTs' {@code security.jwt.*},
 * the WebSockets' {@code security.ws.*}, the audit log's {@code security.audit.*} and the limit on
 * failed authentications ({@code security.authentication.failures.*}). A bad value stops the node with
 * a message naming the setting, never the password.
 */
public record SecuritySettings(boolean enabled, Set<Principal> superUsers, boolean allowEveryoneIfNoAclFound,
                               List<BootstrapUser> bootstrapUsers, JwtSettings jwt, long wsTicketTtlMs,
                               List<String> wsAllowedOrigins, boolean auditEnabled, int auditMaxLinesPerSecond,
                               int authenticationFailuresMax, long authenticationFailuresWindowMs) {

    /** A user to create at first start. {@link #toString} hides the password. */
    public record BootstrapUser(String name, char[] password) {
        @Override
        public String toString() {
            return "BootstrapUser[" + name + "]";
        }
    }

    public static SecuritySettings of(BrokerSettings broker) {
        return new SecuritySettings(broker.getBoolean("security.enabled"), superUsers(broker.getString("super.users")),
                broker.getBoolean("allow.everyone.if.no.acl.found"), bootstrapUsers(broker.getString("security.bootstrap.users")),
                JwtSettings.of(broker), broker.getLong("security.ws.ticket.ttl.ms"),
                JwtSettings.split(broker.getString("security.ws.allowed.origins")),
                broker.getBoolean("security.audit.enabled"), broker.getInt("security.audit.max.lines.per.second"),
                broker.getInt("security.authentication.failures.max"), broker.getLong("security.authentication.failures.window.ms"));
    }

    static Set<Principal> superUsers(String value) {
        Set<Principal> out = new LinkedHashSet<>();
        if (value == null) {
            return out;
        }
        for (String part : value.split(";")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                out.add(Principal.parse(part.trim()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("super.users", "super.users: expected principals such as User:admin;User:ops, got '"
                        + part.trim() + "'");
            }
        }
        return out;
    }

    static List<BootstrapUser> bootstrapUsers(String value) {
        List<BootstrapUser> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        int index = 0;
        for (String entry : value.split(",")) {
            index++;
            int colon = entry.indexOf(':');
            String name = colon < 0 ? "" : entry.substring(0, colon).trim();
            try {
                ScramUser.validateName(name);
            } catch (IllegalArgumentException e) {
                // (Entry by position: the entry itself may hold a password.)
                throw new ConfigException("security.bootstrap.users", "security.bootstrap.users: entry " + index
                        + " is not name:password with a valid name (" + e.getMessage() + ")");
            }
            if (colon == entry.length() - 1) {
                throw new ConfigException("security.bootstrap.users", "security.bootstrap.users: user '" + name
                        + "' has an empty password");
            }
            out.add(new BootstrapUser(name, entry.substring(colon + 1).toCharArray()));
        }
        return out;
    }
}
