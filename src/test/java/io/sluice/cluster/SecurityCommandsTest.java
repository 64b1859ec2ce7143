package io.sluice.cluster;

import io.sluice.bus.ControllerCommand.AlterUserScramCredentials;
import io.sluice.bus.ControllerCommand.CreateAcls;
import io.sluice.bus.ControllerCommand.DeleteAcls;
import io.sluice.bus.ControllerCommand.DeleteUser;
import io.sluice.bus.ControllerReply;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.quorum.MetadataDelta;
import io.sluice.security.AclBinding;
import io.sluice.security.AclFilter;
import io.sluice.security.AclOperation;
import io.sluice.security.AclPermission;
import io.sluice.security.PatternType;
import io.sluice.security.ResourceType;
import io.sluice.security.ScramCredential;
import io.sluice.security.ScramMechanism;
import io.sluice.security.ScramUser;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The controller's user and ACL decisions, and how users and ACLs travel: as changes in the
 * metadata log, whole in the store, and absent from metadata written before they existed.
 */
class SecurityCommandsTest {
    private static final AclBinding READ_ORDERS = new AclBinding("User:alice", ResourceType.TOPIC, PatternType.PREFIXED, "ord",
            AclOperation.READ, AclPermission.ALLOW, "*");
    private static final AclBinding DENY_ALL = new AclBinding("User:*", ResourceType.GROUP, PatternType.LITERAL, "*",
            AclOperation.ALL, AclPermission.DENY, "*");

    private static ScramUser user(String name, String storedKey) {
        return new ScramUser(name, Map.of(ScramMechanism.SCRAM_SHA_512,
                new ScramCredential(ScramMechanism.SCRAM_SHA_512, "c2FsdA==", storedKey, "c2VydmVy", 4096)));
    }

    @Test
    void usersAreUpsertedUnlessOnlyIfAbsentAndDeletedOnlyWhenTheyExist() {
        ClusterMetadata m = new ClusterMetadata(1, 5, Map.of());
        ControllerResult created = SecurityCommands.alterUser(m, new AlterUserScramCredentials(user("alice", "a2V5MQ=="), false));
        assertEquals(6, created.next().version());
        assertEquals(user("alice", "a2V5MQ=="), created.next().user("alice"));

        ControllerResult bootstrapAgain = SecurityCommands.alterUser(created.next(),
                new AlterUserScramCredentials(user("alice", "a2V5Mg=="), true));
        assertNull(bootstrapAgain.next(), "a bootstrap user that exists is left as it is");
        assertEquals(new ControllerReply.Committed(6), bootstrapAgain.reply());

        ControllerResult replaced = SecurityCommands.alterUser(created.next(),
                new AlterUserScramCredentials(user("alice", "a2V5Mg=="), false));
        assertEquals(user("alice", "a2V5Mg=="), replaced.next().user("alice"));

        ControllerResult deleted = SecurityCommands.deleteUser(replaced.next(), new DeleteUser("alice"));
        assertNull(deleted.next().user("alice"));
        SluiceException e = assertThrows(SluiceException.class, () -> SecurityCommands.deleteUser(deleted.next(), new DeleteUser("alice")));
        assertEquals(ErrorCode.NOT_FOUND, e.code());
    }

    @Test
    void aclsAreASetAndDeletionAnswersWhatItRemoved() {
        ClusterMetadata m = new ClusterMetadata(1, 5, Map.of());
        ClusterMetadata two = SecurityCommands.createAcls(m, new CreateAcls(List.of(READ_ORDERS, DENY_ALL))).next();
        assertEquals(List.of(READ_ORDERS, DENY_ALL), two.acls());
        assertNull(SecurityCommands.createAcls(two, new CreateAcls(List.of(READ_ORDERS))).next(), "nothing new: nothing to commit");

        ControllerResult none = SecurityCommands.deleteAcls(two, new DeleteAcls(List.of(
                new AclFilter("User:bob", null, null, null, null, null, null))));
        assertNull(none.next());
        assertEquals(List.of(), ((ControllerReply.AclsDeleted) none.reply()).deleted());

        ControllerResult one = SecurityCommands.deleteAcls(two, new DeleteAcls(List.of(
                new AclFilter(null, ResourceType.TOPIC, PatternType.PREFIXED, "ord", null, null, null))));
        assertEquals(List.of(DENY_ALL), one.next().acls());
        ControllerReply.AclsDeleted reply = (ControllerReply.AclsDeleted) one.reply();
        assertEquals(List.of(READ_ORDERS), reply.deleted());
        assertEquals(one.next().version(), reply.metadataVersion());
        // An exact filter: "or" is not the ACL's "ord".
        assertNull(SecurityCommands.deleteAcls(two, new DeleteAcls(List.of(
                new AclFilter(null, null, null, "or", null, null, null)))).next());
    }

    @Test
    void aDeltaCarriesOnlyTheSecurityChangesAndRebuildsTheSameMetadata() {
        ClusterMetadata before = new ClusterMetadata(1, 5, Map.of(), Map.of("alice", user("alice", "a2V5MQ=="),
                "bob", user("bob", "a2V5MQ==")), List.of(READ_ORDERS));
        ClusterMetadata after = before.withSecurity(Map.of("alice", user("alice", "a2V5Mg=="), "carol", user("carol", "a2V5MQ==")),
                List.of(DENY_ALL));
        MetadataDelta delta = MetadataDelta.between(before, after);
        assertEquals(List.of(user("alice", "a2V5Mg=="), user("carol", "a2V5MQ==")), delta.userUpserts());
        assertEquals(List.of("bob"), delta.userDeletions());
        assertEquals(List.of(DENY_ALL), delta.aclAdditions());
        assertEquals(List.of(READ_ORDERS), delta.aclDeletions());
        MetadataDelta travelled = MetadataDelta.fromBytes(delta.toBytes());
        assertEquals(after, travelled.applyTo(before));
        assertEquals(after, MetadataStore.fromJson(MetadataStore.toJson(after)), "the store keeps users and ACLs");
    }

    @Test
    void metadataAndDeltasWrittenBeforeSecurityExistedStillRead() {
        ClusterMetadata old = MetadataStore.fromJson("{\"controllerEpoch\":2,\"version\":9,\"topics\":{}}"
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(Map.of(), old.users());
        assertEquals(List.of(), old.acls());
        MetadataDelta oldDelta = MetadataDelta.fromBytes(("{\"baseVersion\":9,\"version\":10,\"controllerEpoch\":2,"
                + "\"upserts\":[],\"deletions\":[]}").getBytes(StandardCharsets.UTF_8));
        ClusterMetadata withAcl = old.withSecurity(Map.of(), List.of(READ_ORDERS));
        ClusterMetadata applied = oldDelta.applyTo(new ClusterMetadata(2, 9, Map.of(), Map.of(), withAcl.acls()));
        assertEquals(List.of(READ_ORDERS), applied.acls(), "a delta without security fields changes no ACL");
        assertTrue(applied.users().isEmpty());
        ClusterMetadata same = new ClusterMetadata(2, 9, Map.of(), Map.of(), List.of(READ_ORDERS));
        assertSame(same.acls(), same.withTopics(Map.of()).acls(), "a topic change keeps the very ACL list");
    }
}
