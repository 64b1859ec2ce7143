package io.sluice.bus;

import io.sluice.security.AclBinding;

import java.util.List;

/**
 * The controller's answer to a {@link ControllerCommand}. Failures are not replies: they travel
 * as the bus's failure, with the error code of what went wrong.
 *
 * <p>Every permitted record travels with {@link ControllerReplyCodec}, registered for each of
 * them by {@link BusCodecs}.
 */
public sealed interface ControllerReply {

    /**
     * The change was committed as {@code metadataVersion} (or, for a command with nothing to do,
     * the version that already holds it): the sender waits until it has applied that version.
     */
    record Committed(long metadataVersion) implements ControllerReply {
    }

    /**
     * The controller's metadata at {@code version}, in the JSON form of the metadata store (bus/
     * knows no cluster types). The array belongs to the receiver; nobody changes it.
     */
    record MetadataImage(long version, byte[] metadata) implements ControllerReply {
    }

    /** The quorum's voters once Raft committed them, each as {@code id@host:port}. */
    record VotersChanged(List<String> voters) implements ControllerReply {
        public VotersChanged {
            voters = List.copyOf(voters);
        }
    }

    /** The ACLs a DeleteAcls removed, committed as {@code metadataVersion} (the version that holds it when none matched). */
    record AclsDeleted(long metadataVersion, List<AclBinding> deleted) implements ControllerReply {
        public AclsDeleted {
            deleted = List.copyOf(deleted);
        }
    }
}
