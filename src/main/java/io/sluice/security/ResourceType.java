package io.sluice.security;

import java.util.Locale;

/**
 * What an ACL is about, as Kafka's resource types; SUBJECT is the schema registry's. The cluster
 * is one resource, named {@value #CLUSTER_NAME} as in Kafka.
 */
public enum ResourceType {
    TOPIC, GROUP, CLUSTER, SUBJECT;

    /** The name of the one CLUSTER resource (Kafka's). */
    public static final String CLUSTER_NAME = "kafka-cluster";

    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ResourceType parse(String text) {
        return Names.parse(ResourceType.class, text, "resource_type");
    }
}
