package io.sluice.security;

import io.sluice.config.BrokerSettings;
import io.sluice.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The security settings as Kafka writes them, and no password in any message about them. */
class SecuritySettingsTest {
    private static SecuritySettings of(Map<String, String> raw) {
        return SecuritySettings.of(BrokerSettings.defaults().with(raw));
    }

    @Test
    void offByDefault() {
        SecuritySettings s = of(Map.of());
        assertFalse(s.enabled());
        assertEquals(Set.of(), s.superUsers());
        assertEquals(List.of(), s.bootstrapUsers());
        assertFalse(s.allowEveryoneIfNoAclFound());
    }

    @Test
    void superUsersAreSemicolonSeparatedPrincipals() {
        SecuritySettings s = of(Map.of("security.enabled", "true", "super.users", "User:admin; User:ops;",
                "allow.everyone.if.no.acl.found", "true"));
        assertTrue(s.enabled());
        assertTrue(s.allowEveryoneIfNoAclFound());
        assertEquals(Set.of(Principal.user("admin"), Principal.user("ops")), s.superUsers());
        assertThrows(ConfigException.class, () -> of(Map.of("super.users", "admin")));
    }

    @Test
    void bootstrapUsersAreNamePasswordPairsAndErrorsNeverQuoteAPassword() {
        SecuritySettings s = of(Map.of("security.bootstrap.users", "admin:s3cr:et,ops:x"));
        assertEquals(2, s.bootstrapUsers().size());
        assertEquals("admin", s.bootstrapUsers().get(0).name());
        assertArrayEquals("s3cr:et".toCharArray(), s.bootstrapUsers().get(0).password());
        assertFalse(s.toString().contains("s3cr"), s.toString());
        for (String bad : List.of("hunter2", "bad name:hunter2", "ok:hunter2,:hunter2", "admin:")) {
            ConfigException e = assertThrows(ConfigException.class, () -> of(Map.of("security.bootstrap.users", bad)), bad);
            assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        }
        String logged = BrokerSettings.defaults().with(Map.of("security.bootstrap.users", "admin:hunter2")).toString();
        assertFalse(logged.contains("hunter2"), logged);
    }
}
