package io.sluice.security;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.sluice.security.AclOperation.*;
import static io.sluice.security.AclPermission.ALLOW;
import static io.sluice.security.AclPermission.DENY;
import static io.sluice.security.PatternType.LITERAL;
import static io.sluice.security.PatternType.PREFIXED;
import static io.sluice.security.ResourceType.CLUSTER;
import static io.sluice.security.ResourceType.GROUP;
import static io.sluice.security.ResourceType.TOPIC;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The matching rules of Kafka's StandardAuthorizer, one rule per test. */
class AclAuthorizerTest {
    private static final Principal ALICE = Principal.user("alice");
    private static final Principal BOB = Principal.user("bob");
    private static final String HOST = "10.0.0.7";

    private static AclBinding acl(String principal, ResourceType type, PatternType pattern, String name, AclOperation op,
                                  AclPermission permission, String host) {
        return new AclBinding(principal, type, pattern, name, op, permission, host);
    }

    private static AclBinding allow(String principal, ResourceType type, PatternType pattern, String name, AclOperation op) {
        return acl(principal, type, pattern, name, op, ALLOW, "*");
    }

    private static AclAuthorizer with(AclBinding... acls) {
        AclAuthorizer a = new AclAuthorizer(Set.of(), false);
        a.update(List.of(acls));
        return a;
    }

    @Test
    void nothingIsAllowedWithoutAnAcl() {
        AclAuthorizer a = with();
        assertFalse(a.authorize(ALICE, HOST, READ, TOPIC, "orders"));
        assertFalse(a.authorize(ALICE, HOST, DESCRIBE, CLUSTER, ResourceType.CLUSTER_NAME));
    }

    @Test
    void aLiteralAclNamesOneResourceAndOnePrincipal() {
        AclAuthorizer a = with(allow("User:alice", TOPIC, LITERAL, "orders", READ));
        assertTrue(a.authorize(ALICE, HOST, READ, TOPIC, "orders"));
        assertFalse(a.authorize(ALICE, HOST, WRITE, TOPIC, "orders"), "another operation");
        assertFalse(a.authorize(ALICE, HOST, READ, TOPIC, "orders2"), "another topic");
        assertFalse(a.authorize(ALICE, HOST, READ, TOPIC, "order"), "a prefix of the name");
        assertFalse(a.authorize(BOB, HOST, READ, TOPIC, "orders"), "another principal");
        assertFalse(a.authorize(ALICE, HOST, READ, GROUP, "orders"), "another resource type");
    }

    @Test
    void aPrefixedAclCoversNamesThatStartWithIt() {
        AclAuthorizer a = with(allow("User:alice", TOPIC, PREFIXED, "ord", READ));
        assertTrue(a.authorize(ALICE, HOST, READ, TOPIC, "orders"));
        assertTrue(a.authorize(ALICE, HOST, READ, TOPIC, "ord"), "the prefix itself");
        assertFalse(a.authorize(ALICE, HOST, READ, TOPIC, "or"), "shorter than the prefix");
        assertFalse(a.authorize(ALICE, HOST, READ, TOPIC, "xorders"), "the prefix elsewhere in the name");
        assertFalse(a.authorize(ALICE, HOST, READ, TOPIC, "Orders"), "names are case-sensitive");
    }

    @Test
    void aLiteralWildcardCoversEveryNameButAPrefixedStarIsAPlainPrefix() {
        AclAuthorizer literal = with(allow("User:alice", TOPIC, LITERAL, "*", READ));
        assertTrue(literal.authorize(ALICE, HOST, READ, TOPIC, "anything"));
        AclAuthorizer prefixed = with(allow("User:alice", TOPIC, PREFIXED, "*", READ));
        assertFalse(prefixed.authorize(ALICE, HOST, READ, TOPIC, "anything"));
        assertTrue(prefixed.authorize(ALICE, HOST, READ, TOPIC, "*star"));
    }

    @Test
    void theWildcardPrincipalNamesEveryUser() {
        AclAuthorizer a = with(allow("User:*", TOPIC, LITERAL, "public", READ));
        assertTrue(a.authorize(ALICE, HOST, READ, TOPIC, "public"));
        assertTrue(a.authorize(BOB, HOST, READ, TOPIC, "public"));
    }

    @Test
    void denyWinsOverAllowWhateverTheirPatterns() {
        AclAuthorizer a = with(allow("User:*", TOPIC, PREFIXED, "ord", ALL),
                acl("User:alice", TOPIC, LITERAL, "orders", WRITE, DENY, "*"));
        assertFalse(a.authorize(ALICE, HOST, WRITE, TOPIC, "orders"));
        assertTrue(a.authorize(ALICE, HOST, READ, TOPIC, "orders"), "the deny is for WRITE only");
        assertTrue(a.authorize(BOB, HOST, WRITE, TOPIC, "orders"), "the deny is for alice only");
        AclAuthorizer all = with(allow("User:alice", TOPIC, LITERAL, "orders", READ),
                acl("User:*", TOPIC, LITERAL, "*", ALL, DENY, "*"));
        assertFalse(all.authorize(ALICE, HOST, READ, TOPIC, "orders"), "a wildcard DENY ALL beats a literal ALLOW");
    }

    @Test
    void readWriteDeleteAndAlterImplyDescribeAlterConfigsImpliesDescribeConfigs() {
        for (AclOperation op : List.of(READ, WRITE, DELETE, ALTER, DESCRIBE)) {
            assertTrue(with(allow("User:alice", TOPIC, LITERAL, "t", op)).authorize(ALICE, HOST, DESCRIBE, TOPIC, "t"), op.name());
        }
        for (AclOperation op : List.of(CREATE, ALTER_CONFIGS, DESCRIBE_CONFIGS, IDEMPOTENT_WRITE)) {
            assertFalse(with(allow("User:alice", TOPIC, LITERAL, "t", op)).authorize(ALICE, HOST, DESCRIBE, TOPIC, "t"), op.name());
        }
        assertTrue(with(allow("User:alice", TOPIC, LITERAL, "t", ALTER_CONFIGS)).authorize(ALICE, HOST, DESCRIBE_CONFIGS, TOPIC, "t"));
        assertFalse(with(allow("User:alice", TOPIC, LITERAL, "t", READ)).authorize(ALICE, HOST, WRITE, TOPIC, "t"),
                "READ implies nothing but DESCRIBE");
        assertTrue(with(allow("User:alice", TOPIC, LITERAL, "t", ALL)).authorize(ALICE, HOST, ALTER_CONFIGS, TOPIC, "t"));
    }

    @Test
    void aDenyImpliesNothingBeyondItsOperation() {
        // Kafka: a DENY of READ does not deny DESCRIBE.
        AclAuthorizer a = with(allow("User:alice", TOPIC, LITERAL, "t", DESCRIBE), acl("User:alice", TOPIC, LITERAL, "t", READ, DENY, "*"));
        assertTrue(a.authorize(ALICE, HOST, DESCRIBE, TOPIC, "t"));
        assertFalse(a.authorize(ALICE, HOST, READ, TOPIC, "t"));
    }

    @Test
    void anAclForAnotherHostDoesNotApply() {
        AclAuthorizer a = with(acl("User:alice", TOPIC, LITERAL, "t", READ, ALLOW, "10.0.0.8"));
        assertFalse(a.authorize(ALICE, HOST, READ, TOPIC, "t"));
        assertTrue(a.authorize(ALICE, "10.0.0.8", READ, TOPIC, "t"));
    }

    @Test
    void superUsersMayDoAnythingEvenWhenDenied() {
        AclAuthorizer a = new AclAuthorizer(Set.of(Principal.user("admin")), false);
        a.update(List.of(acl("User:*", TOPIC, LITERAL, "*", ALL, DENY, "*")));
        assertTrue(a.authorize(Principal.user("admin"), HOST, DELETE, TOPIC, "orders"));
        assertTrue(a.authorize(Principal.user("admin"), HOST, ALTER, CLUSTER, ResourceType.CLUSTER_NAME));
        assertFalse(a.authorize(ALICE, HOST, READ, TOPIC, "orders"));
    }

    @Test
    void allowEveryoneIfNoAclFoundAppliesOnlyToResourcesNoAclCovers() {
        AclAuthorizer a = new AclAuthorizer(Set.of(), true);
        a.update(List.of(allow("User:bob", TOPIC, PREFIXED, "private", READ)));
        assertTrue(a.authorize(ALICE, HOST, WRITE, TOPIC, "public"), "no ACL covers it: allowed");
        assertFalse(a.authorize(ALICE, HOST, READ, TOPIC, "private-1"), "an ACL covers it (for bob): deny for alice");
        assertTrue(a.authorize(BOB, HOST, READ, TOPIC, "private-1"));
        assertFalse(a.authorize(BOB, HOST, WRITE, TOPIC, "private-1"), "an ACL covers it, for another operation");
    }

    @Test
    void decisionsFollowTheAclsOnceTheyChange() {
        AclAuthorizer a = with(allow("User:alice", TOPIC, LITERAL, "t", READ));
        assertTrue(a.authorize(ALICE, HOST, READ, TOPIC, "t"));
        assertTrue(a.authorize(ALICE, HOST, READ, TOPIC, "t"), "cached");
        a.update(List.of());
        assertFalse(a.authorize(ALICE, HOST, READ, TOPIC, "t"), "the cached decision went with the old ACLs");
        a.update(List.of(allow("User:alice", TOPIC, LITERAL, "t", READ)));
        assertTrue(a.authorize(ALICE, HOST, READ, TOPIC, "t"));
    }

    @Test
    void aClusterAclIsLiteralAndNamesTheCluster() {
        AclBinding cluster = new AclBinding("User:alice", CLUSTER, LITERAL, null, ALTER, ALLOW, null);
        assertTrue(with(cluster).authorize(ALICE, HOST, ALTER, CLUSTER, ResourceType.CLUSTER_NAME));
        assertThrows(IllegalArgumentException.class, () -> new AclBinding("User:alice", CLUSTER, PREFIXED, "kafka", ALTER, ALLOW, "*"));
        assertThrows(IllegalArgumentException.class, () -> new AclBinding("alice", TOPIC, LITERAL, "t", READ, ALLOW, "*"),
                "a principal has a type");
        assertThrows(IllegalArgumentException.class, () -> new AclBinding("User:alice", TOPIC, LITERAL, "", READ, ALLOW, "*"));
    }

    @Test
    void accessControlRefusesWithAMessageThatNamesNothing() {
        AccessControl access = new AccessControl(with(allow("User:alice", TOPIC, LITERAL, "orders", READ)));
        Session alice = new Session(ALICE, HOST);
        access.checkTopic(alice, READ, "orders");
        io.sluice.common.SluiceException e = assertThrows(io.sluice.common.SluiceException.class,
                () -> access.checkTopic(alice, READ, "secret-plans"));
        assertTrue(e.code() == io.sluice.common.ErrorCode.FORBIDDEN && e.getMessage().equals("not authorized"), e.getMessage());
        assertTrue(AccessControl.DISABLED.allowed(alice, DELETE, CLUSTER, ResourceType.CLUSTER_NAME));
        // CREATE: on the cluster, or else on the topic's name.
        AccessControl create = new AccessControl(with(allow("User:alice", TOPIC, PREFIXED, "alice-", CREATE)));
        create.checkCreateTopic(alice, "alice-1");
        assertThrows(io.sluice.common.SluiceException.class, () -> create.checkCreateTopic(alice, "bob-1"));
        new AccessControl(with(new AclBinding("User:alice", CLUSTER, LITERAL, null, CREATE, ALLOW, "*"))).checkCreateTopic(alice, "any");
    }
}
