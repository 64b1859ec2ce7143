package io.sluice.security;

/**
 * Which ACLs a listing or a deletion is about (Kafka's AclBindingFilter, with exact fields): each
 * field that is null matches any value, and a given one only an ACL with that very value (a
 * PREFIXED {@code ord} filter matches the ACL {@code ord}, not the ACL {@code orders}).
 */
public record AclFilter(String principal, ResourceType resourceType, PatternType patternType, String resourceName,
                        AclOperation operation, AclPermission permission, String host) {
    public static final AclFilter ANY = new AclFilter(null, null, null, null, null, null, null);

    public boolean matches(AclBinding acl) {
        return (principal == null || principal.equals(acl.principal()))
                && (resourceType == null || resourceType == acl.resourceType())
                && (patternType == null || patternType == acl.patternType())
                && (resourceName == null || resourceName.equals(acl.resourceName()))
                && (operation == null || operation == acl.operation())
                && (permission == null || permission == acl.permission())
                && (host == null || host.equals(acl.host()));
    }
}
