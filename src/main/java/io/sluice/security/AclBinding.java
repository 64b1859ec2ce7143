package io.sluice.security;

import java.util.Objects;

/**
 * One ACL, Kafka's AclBinding: {@code principal} may (ALLOW) or may not (DENY) perform
 * {@code operation} on the resources of {@code resourceType} that {@code resourceName} covers by
 * {@code patternType}, from {@code host}. Immutable; kept in the replicated cluster metadata.
 *
 * @param principal    {@code User:alice}, or {@code User:*} for every user
 * @param resourceType what the ACL is about
 * @param patternType  how {@code resourceName} matches
 * @param resourceName a name, a prefix, or {@code *} (LITERAL: every name); the cluster's is {@value ResourceType#CLUSTER_NAME}
 * @param operation    the operation allowed or denied
 * @param permission   ALLOW or DENY
 * @param host         the client's IP address, or {@code *} for any
 */
public record AclBinding(String principal, ResourceType resourceType, PatternType patternType, String resourceName,
                         AclOperation operation, AclPermission permission, String host) {
    /** The principal of an ACL for every user. */
    public static final String WILDCARD_PRINCIPAL = "User:*";
    public static final String WILDCARD_HOST = "*";

    public AclBinding {
        Objects.requireNonNull(resourceType, "resource_type");
        Objects.requireNonNull(patternType, "pattern_type");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(permission, "permission");
        if (principal == null || principal.isBlank()) {
            throw new IllegalArgumentException("'principal' is required, such as User:alice or User:*");
        }
        Principal.parse(principal);
        if (resourceType == ResourceType.CLUSTER && (resourceName == null || resourceName.isEmpty())) {
            resourceName = ResourceType.CLUSTER_NAME;
        }
        if (resourceName == null || resourceName.isEmpty()) {
            throw new IllegalArgumentException("'resource_name' is required");
        }
        if (resourceType == ResourceType.CLUSTER
                && (patternType != PatternType.LITERAL || !resourceName.equals(ResourceType.CLUSTER_NAME))) {
            throw new IllegalArgumentException("a cluster ACL is literal and names the resource '"
                    + ResourceType.CLUSTER_NAME + "'");
        }
        if (host == null || host.isEmpty()) {
            host = WILDCARD_HOST;
        }
    }

    /** Whether this ACL is about the resource {@code name} of {@code type} (whoever it names, whatever it allows). */
    public boolean coversResource(ResourceType type, String name) {
        return resourceType == type && patternType.matches(resourceName, name);
    }

    /** Whether this ACL names {@code who} (exactly, or as {@code User:*}) and {@code fromHost}. */
    public boolean appliesTo(String who, String fromHost) {
        return (principal.equals(who) || principal.equals(WILDCARD_PRINCIPAL))
                && (host.equals(WILDCARD_HOST) || host.equals(fromHost));
    }
}
