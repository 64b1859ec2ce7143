package io.sluice.quota;

import io.sluice.config.ConfigException;
import io.sluice.security.Principal;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code quota.overrides}: its entities and quotas, and a bad entry stopping the node with the setting named. */
class QuotaSettingsTest {
    @Test
    void overridesNameUsersClientIdsAndBoth() {
        Map<QuotaEntity, Map<QuotaType, Double>> o = QuotaSettings.overrides(
                "User:alice:producer_byte_rate=1048576,request_rate=50; client-id:app:consumer_byte_rate=2e6;"
                        + "User:CN=bob,O=acme&client-id:app:request_rate=10");
        assertEquals(Map.of(QuotaType.PRODUCE, 1048576.0, QuotaType.REQUEST, 50.0), o.get(new QuotaEntity(Principal.user("alice"), null)));
        assertEquals(Map.of(QuotaType.FETCH, 2e6), o.get(new QuotaEntity(null, "app")));
        assertEquals(Map.of(QuotaType.REQUEST, 10.0), o.get(new QuotaEntity(Principal.user("CN=bob,O=acme"), "app")),
                "a principal's name may hold ':' and ','");
    }

    @Test
    void aBadEntryNamesTheSettingAndTheEntry() {
        for (String bad : new String[] {"User:alice", "User:alice:bytes=5", "User:alice:request_rate=-1", "nobody:request_rate=1",
                "User:alice:request_rate=lots"}) {
            ConfigException e = assertThrows(ConfigException.class, () -> QuotaSettings.overrides(bad), bad);
            assertTrue(e.getMessage().startsWith("quota.overrides: entry '"), e.getMessage());
        }
    }
}
