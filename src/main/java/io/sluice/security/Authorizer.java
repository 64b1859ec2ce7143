package io.sluice.security;

/**
 * Decides whether a principal may perform an operation on a resource (Kafka's Authorizer). What
 * every interface asks before acting; implementations are thread-safe and answer without blocking.
 */
public interface Authorizer {
    /**
     * @param principal who asks
     * @param host      the client's IP address
     * @param operation what it asks to do
     * @param type      the kind of resource
     * @param name      the resource's name ({@value ResourceType#CLUSTER_NAME} for the cluster)
     */
    boolean authorize(Principal principal, String host, AclOperation operation, ResourceType type, String name);
}
