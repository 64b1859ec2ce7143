package io.sluice.security;

import org.apache.kafka.common.security.ssl.SslPrincipalMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrincipalMappingRulesTest {
    private static final String DN = "CN=Alice Smith,OU=Engineering,O=Acme,C=DE";

    @Test
    void defaultIsTheWholeDistinguishedName() {
        assertEquals(Optional.of(DN), PrincipalMappingRules.parse("DEFAULT").map(DN));
    }

    @Test
    void aRuleRewritesWithGroupsAndACommaInsideItsPattern() {
        PrincipalMappingRules rules = PrincipalMappingRules.parse("RULE:^CN=(.*?),OU=.*$/$1/,DEFAULT");
        assertEquals(Optional.of("Alice Smith"), rules.map(DN));
        // The first rule does not match a subject without OU: DEFAULT takes it.
        assertEquals(Optional.of("CN=bob,O=Acme"), rules.map("CN=bob,O=Acme"));
    }

    @Test
    void lowerAndUpperCase() {
        assertEquals(Optional.of("alice smith"), PrincipalMappingRules.parse("RULE:^CN=(.*?),.*$/$1/L").map(DN));
        assertEquals(Optional.of("ALICE SMITH@ACME"), PrincipalMappingRules.parse("RULE:^CN=(.*?),OU=.*,O=(.*?),.*$/$1@$2/U").map(DN));
    }

    @Test
    void rulesAreTriedInOrderAndANameNoRuleMapsHasNone() {
        PrincipalMappingRules rules = PrincipalMappingRules.parse(
                "RULE:^CN=([a-z]+),OU=ops.*$/ops-$1/, RULE:^CN=([a-z]+),.*$/$1/");
        assertEquals(Optional.of("ops-carol"), rules.map("CN=carol,OU=ops,O=Acme"));
        assertEquals(Optional.of("dave"), rules.map("CN=dave,OU=dev,O=Acme"));
        assertEquals(Optional.empty(), rules.map(DN));
    }

    @Test
    void escapedSlashesAndMissingGroupsStayText() {
        assertEquals(Optional.of("a/b"), PrincipalMappingRules.parse("RULE:^CN=(a)\\/(b)$/$1\\/$2/").map("CN=a/b"));
        assertEquals(Optional.of("x$3"), PrincipalMappingRules.parse("RULE:^CN=(x)$/$1$3/").map("CN=x"));
    }

    @Test
    void unreadableRulesAreRefusedNamingWhere() {
        for (String bad : List.of("RULE:^CN=(.*)$", "RULE:^CN=(.*)$/$1", "NOPE", "DEFAULT DEFAULT", "RULE:[/x/")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PrincipalMappingRules.parse(bad), bad);
            assertTrue(e.getMessage().contains("position"), e.getMessage());
        }
    }

    /** The same rules give the same names as Kafka's own mapper (kafka-clients, on the test class path). */
    @Test
    void agreesWithKafkasMapper() throws Exception {
        List<String> ruleSets = List.of(
                "DEFAULT",
                "RULE:^CN=(.*?),OU=.*$/$1/,DEFAULT",
                "RULE:^CN=(.*?),OU=(.*?),O=(.*?),C=(.*)$/$1@$3/L,DEFAULT",
                "RULE:^CN=(.*?),OU=.*$/$1/U, RULE:^CN=(.*)$/cn-$1/",
                "RULE:^.*[Cc][Nn]=([a-zA-Z0-9. ]*).*$/$1/L,DEFAULT",
                "RULE:^CN=(x)$/$1$12/,DEFAULT");
        List<String> names = List.of(DN, "CN=bob,O=Acme", "CN=x", "OU=nobody,O=Acme", "CN=Kafka.Server, OU=Ops");
        for (String ruleSet : ruleSets) {
            SslPrincipalMapper kafka = SslPrincipalMapper.fromRules(ruleSet);
            PrincipalMappingRules ours = PrincipalMappingRules.parse(ruleSet);
            for (String name : names) {
                Optional<String> expected;
                try {
                    expected = Optional.of(kafka.getName(name));
                } catch (SslPrincipalMapper.NoMatchingRule e) {
                    expected = Optional.empty();
                }
                assertEquals(expected, ours.map(name), ruleSet + " on " + name);
            }
        }
    }
}
