package io.sluice.security;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;

import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * Sluice's resources in the authorizer's terms: the checks every interface makes before it acts
 * (produce: WRITE on the topic; fetch: READ; creating a topic: CREATE on the cluster or on the
 * topic's name, as Kafka asks), written once for all of them. A refusal is a 403 whose message
 * names nothing ({@value #NOT_AUTHORIZED}), so that a principal learns nothing about resources it
 * may not see: a topic it may not use looks the same whether it exists or not.
 *
 * <p>{@link #DISABLED} allows everything at the cost of one field read: security off costs the
 * produce path nothing.
 */
public final class AccessControl {
    public static final String NOT_AUTHORIZED = "not authorized";
    public static final AccessControl DISABLED = new AccessControl(null);

    /** Null when security is off. */
    private final Authorizer authorizer;
    private final AuditLog audit;

    public AccessControl(Authorizer authorizer) {
        this(authorizer, AuditLog.DISABLED);
    }

    /** Refusals of {@link #check} go to {@code audit} (filtering a listing is not a refusal). */
    public AccessControl(Authorizer authorizer, AuditLog audit) {
        this.authorizer = authorizer;
        this.audit = audit;
    }

    public boolean enabled() {
        return authorizer != null;
    }

    public boolean allowed(Session session, AclOperation operation, ResourceType type, String name) {
        return authorizer == null || authorizer.authorize(session.principal(), session.host(), operation, type, name);
    }

    /** Throws a 403 unless {@code session} may perform {@code operation} on the resource. */
    public void check(Session session, AclOperation operation, ResourceType type, String name) {
        if (authorizer != null && !authorizer.authorize(session.principal(), session.host(), operation, type, name)) {
            audit.denied(session, operation, type, name);
            throw forbidden();
        }
    }

    public void checkTopic(Session session, AclOperation operation, String topic) {
        check(session, operation, ResourceType.TOPIC, topic);
    }

    public void checkGroup(Session session, AclOperation operation, String group) {
        check(session, operation, ResourceType.GROUP, group);
    }

    public void checkCluster(Session session, AclOperation operation) {
        check(session, operation, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME);
    }

    /** Creating {@code topic}: CREATE on the cluster, or else on the topic's name (Kafka's rule). */
    public void checkCreateTopic(Session session, String topic) {
        if (!allowed(session, AclOperation.CREATE, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME)) {
            checkTopic(session, AclOperation.CREATE, topic);
        }
    }

    /** The items whose topic ({@code topicOf}) {@code session} may {@code operation}, in their order. */
    public <T> List<T> filterTopics(Session session, AclOperation operation, Collection<T> items, Function<T, String> topicOf) {
        if (authorizer == null) {
            return List.copyOf(items);
        }
        return items.stream().filter(i -> allowed(session, operation, ResourceType.TOPIC, topicOf.apply(i))).toList();
    }

    public static SluiceException forbidden() {
        return new SluiceException(ErrorCode.FORBIDDEN, NOT_AUTHORIZED);
    }
}
