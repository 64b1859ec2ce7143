package io.sluice.security.tls;

import io.sluice.config.BrokerSettings;
import io.vertx.core.http.ClientAuth;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TlsSettingsTest {
    private static BrokerSettings with(Map<String, String> raw) {
        return BrokerSettings.defaults().with(raw);
    }

    @Test
    void kafkasClientAuthWordsBecomeVertxs() {
        Map<String, ClientAuth> expected = Map.of("none", ClientAuth.NONE, "requested", ClientAuth.REQUEST, "required", ClientAuth.REQUIRED);
        expected.forEach((word, auth) -> assertEquals(auth, TlsSettings.http(with(Map.of("security.tls.cert", "a.pem",
                "security.tls.key", "a.key", "security.tls.truststore", "ca.pem", "security.tls.client.auth", word))).clientAuth(), word));
    }

    @Test
    void theBusAlwaysRequiresClientCertificatesAndPasswordsStayOutOfToString() {
        TlsSettings bus = TlsSettings.bus(with(Map.of("security.bus.tls.keystore", "bus.p12", "security.bus.tls.keystore.password",
                "bus-secret", "security.bus.tls.truststore", "bus-ca.p12", "security.bus.tls.truststore.password", "trust-secret",
                "security.tls.protocols", "TLSv1.3")));
        assertTrue(bus.enabled());
        assertEquals(ClientAuth.REQUIRED, bus.clientAuth());
        assertEquals(Set.of("TLSv1.3"), bus.protocols());
        assertEquals(List.of(Path.of("bus.p12"), Path.of("bus-ca.p12")), bus.files());
        assertFalse(bus.toString().contains("secret"), bus.toString());
        assertFalse(TlsSettings.http(BrokerSettings.defaults()).enabled());
    }
}
