package io.sluice.security;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What an ACL allows or denies, Kafka's operations under Kafka's names. An ALLOW of READ, WRITE,
 * DELETE or ALTER implies DESCRIBE, and an ALLOW of ALTER_CONFIGS implies DESCRIBE_CONFIGS, as in
 * Kafka's authorizer; a DENY implies nothing beyond its own operation.
 */
public enum AclOperation {
    ALL, READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE;

    private static final Set<AclOperation> IMPLIES_DESCRIBE = EnumSet.of(DESCRIBE, READ, WRITE, DELETE, ALTER);
    private static final Set<AclOperation> IMPLIES_DESCRIBE_CONFIGS = EnumSet.of(DESCRIBE_CONFIGS, ALTER_CONFIGS);

    /** Whether an ALLOW ACL for this operation grants {@code requested}. */
    public boolean allowGrants(AclOperation requested) {
        if (this == ALL || this == requested) {
            return true;
        }
        return switch (requested) {
            case DESCRIBE -> IMPLIES_DESCRIBE.contains(this);
            case DESCRIBE_CONFIGS -> IMPLIES_DESCRIBE_CONFIGS.contains(this);
            default -> false;
        };
    }

    /** Whether a DENY ACL for this operation refuses {@code requested}: only its own operation, or ALL. */
    public boolean denyRefuses(AclOperation requested) {
        return this == ALL || this == requested;
    }

    /** The lower-case name the HTTP API uses ({@code describe_configs}). */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses an API name, in any case. */
    public static AclOperation parse(String text) {
        return Names.parse(AclOperation.class, text, "operation");
    }
}
