package io.sluice.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ACL authorizer, with the semantics of Kafka's StandardAuthorizer: a super user may do
 * anything; otherwise the ACLs whose resource pattern covers the resource decide: a matching DENY
 * wins over any ALLOW, a matching ALLOW (with its implied operations, {@link AclOperation#allowGrants})
 * allows, and when ACLs cover the resource but none matches the principal, host and operation, the
 * answer is no. When no ACL covers the resource at all, {@code allow.everyone.if.no.acl.found}
 * decides (default: no).
 *
 * <p>Owns the current ACLs and a cache of decisions made on them. {@link #update} replaces both
 * at once (the cache belongs to the ACL snapshot), so a decision never outlives the ACLs it was
 * made on. Thread-safe: readers see one snapshot through a volatile field.
 */
public final class AclAuthorizer implements Authorizer {
    /** Cached decisions per ACL snapshot; cleared beyond this, which only costs recomputing. */
    private static final int MAX_CACHED_DECISIONS = 100_000;

    private final Set<Principal> superUsers;
    private final boolean allowIfNoAclFound;
    private volatile Snapshot snapshot = new Snapshot(List.of());

    public AclAuthorizer(Set<Principal> superUsers, boolean allowIfNoAclFound) {
        this.superUsers = Set.copyOf(superUsers);
        this.allowIfNoAclFound = allowIfNoAclFound;
    }

    /** Takes {@code acls} as the whole set of ACLs; no-op when they are the ones held already. */
    public void update(Collection<AclBinding> acls) {
        Snapshot current = snapshot;
        if (current.acls.equals(List.copyOf(acls))) {
            return;
        }
        snapshot = new Snapshot(List.copyOf(acls));
    }

    public boolean isSuperUser(Principal principal) {
        return superUsers.contains(principal);
    }

    @Override
    public boolean authorize(Principal principal, String host, AclOperation operation, ResourceType type, String name) {
        if (superUsers.contains(principal)) {
            return true;
        }
        Snapshot s = snapshot;
        Decision key = new Decision(principal, host, operation, type, name);
        Boolean cached = s.decisions.get(key);
        if (cached != null) {
            return cached;
        }
        boolean allowed = s.decide(principal.toString(), host, operation, type, name, allowIfNoAclFound);
        if (s.decisions.size() >= MAX_CACHED_DECISIONS) {
            s.decisions.clear();
        }
        s.decisions.put(key, allowed);
        return allowed;
    }

    private record Decision(Principal principal, String host, AclOperation operation, ResourceType type, String name) {
    }

    /** One set of ACLs, grouped by resource type, and the decisions made on it. */
    private static final class Snapshot {
        final List<AclBinding> acls;
        final Map<ResourceType, List<AclBinding>> byType = new EnumMap<>(ResourceType.class);
        final Map<Decision, Boolean> decisions = new ConcurrentHashMap<>();

        Snapshot(List<AclBinding> acls) {
            this.acls = acls;
            for (AclBinding acl : acls) {
                byType.computeIfAbsent(acl.resourceType(), t -> new ArrayList<>()).add(acl);
            }
        }

        boolean decide(String principal, String host, AclOperation operation, ResourceType type, String name,
                       boolean allowIfNoAclFound) {
            boolean resourceHasAcls = false;
            boolean allowed = false;
            for (AclBinding acl : byType.getOrDefault(type, List.of())) {
                if (!acl.coversResource(type, name)) {
                    continue;
                }
                resourceHasAcls = true;
                if (!acl.appliesTo(principal, host)) {
                    continue;
                }
                if (acl.permission() == AclPermission.DENY) {
                    if (acl.operation().denyRefuses(operation)) {
                        return false;
                    }
                } else if (acl.operation().allowGrants(operation)) {
                    allowed = true;
                }
            }
            return allowed || (!resourceHasAcls && allowIfNoAclFound);
        }
    }
}
