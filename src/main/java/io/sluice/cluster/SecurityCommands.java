package io.sluice.cluster;

import io.sluice.bus.ControllerCommand.AlterUserScramCredentials;
import io.sluice.bus.ControllerCommand.CreateAcls;
import io.sluice.bus.ControllerCommand.DeleteAcls;
import io.sluice.bus.ControllerCommand.DeleteUser;
import io.sluice.bus.ControllerReply;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.security.AclBinding;
import io.sluice.security.AclFilter;
import io.sluice.security.ScramUser;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The controller's user and ACL commands (Kafka's ScramControlManager and AclControlManager): each
 * a deterministic function from the committed metadata and the request to a {@link ControllerResult}.
 * The controller never sees a password: users arrive with their credentials already derived.
 */
final class SecurityCommands {
    private SecurityCommands() {
    }

    static ControllerResult alterUser(ClusterMetadata metadata, AlterUserScramCredentials cmd) {
        ScramUser user = cmd.user();
        ScramUser existing = metadata.user(user.name());
        if (existing != null && (cmd.onlyIfAbsent() || existing.equals(user))) {
            return ControllerResult.unchanged(new ControllerReply.Committed(metadata.version()));
        }
        if (user.credentials().isEmpty()) {
            throw new SluiceException(ErrorCode.BAD_REQUEST, "a user needs at least one credential");
        }
        Map<String, ScramUser> users = new TreeMap<>(metadata.users());
        users.put(user.name(), user);
        return ControllerResult.committing(metadata.withSecurity(users, metadata.acls()));
    }

    static ControllerResult deleteUser(ClusterMetadata metadata, DeleteUser cmd) {
        if (metadata.user(cmd.name()) == null) {
            throw new SluiceException(ErrorCode.NOT_FOUND, "no such user");
        }
        Map<String, ScramUser> users = new TreeMap<>(metadata.users());
        users.remove(cmd.name());
        return ControllerResult.committing(metadata.withSecurity(users, metadata.acls()));
    }

    static ControllerResult createAcls(ClusterMetadata metadata, CreateAcls cmd) {
        LinkedHashSet<AclBinding> acls = new LinkedHashSet<>(metadata.acls());
        if (!acls.addAll(cmd.acls())) {
            return ControllerResult.unchanged(new ControllerReply.Committed(metadata.version()));
        }
        return ControllerResult.committing(metadata.withSecurity(metadata.users(), new ArrayList<>(acls)));
    }

    static ControllerResult deleteAcls(ClusterMetadata metadata, DeleteAcls cmd) {
        List<AclBinding> kept = new ArrayList<>();
        List<AclBinding> deleted = new ArrayList<>();
        for (AclBinding acl : metadata.acls()) {
            boolean matched = false;
            for (AclFilter f : cmd.filters()) {
                matched |= f.matches(acl);
            }
            (matched ? deleted : kept).add(acl);
        }
        if (deleted.isEmpty()) {
            return ControllerResult.unchanged(new ControllerReply.AclsDeleted(metadata.version(), List.of()));
        }
        ClusterMetadata next = metadata.withSecurity(metadata.users(), kept);
        return new ControllerResult(next, new ControllerReply.AclsDeleted(next.version(), deleted));
    }
}
