package io.sluice.cluster;

import io.sluice.bus.ControllerReply;

/**
 * What a controller command decided (Kafka's ControllerResult): the metadata to commit, or null
 * when nothing changes, and the reply its sender gets once that metadata is committed.
 */
record ControllerResult(ClusterMetadata next, ControllerReply reply) {

    /** A change: its sender waits for the new version. */
    static ControllerResult committing(ClusterMetadata next) {
        return new ControllerResult(next, new ControllerReply.Committed(next.version()));
    }

    /** Nothing to commit: the reply at once. */
    static ControllerResult unchanged(ControllerReply reply) {
        return new ControllerResult(null, reply);
    }
}
