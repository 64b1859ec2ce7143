package io.sluice.security;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The audit log's lines: who, what, from where, never a secret; at most N a second per kind. */
class AuditLogTest {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            lines.add(r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private long now;

    @BeforeEach
    void attach() {
        Logger.getLogger(AuditLog.LOGGER).addHandler(capture);
    }

    @AfterEach
    void detach() {
        Logger.getLogger(AuditLog.LOGGER).removeHandler(capture);
    }

    @Test
    void linesNameWhoWhatAndWhereButNoSecret() {
        AuditLog audit = new AuditLog(true, 10, () -> now);
        String basic = "Basic " + Base64.getEncoder().encodeToString("alice:s3cret-pw".getBytes(StandardCharsets.UTF_8));
        audit.authenticationFailed(basic, "10.1.2.3", "GET", "/topics");
        audit.authenticationFailed("Bearer eyJhbGciOi.secret.token", "10.1.2.4", "GET", "/topics");
        audit.authenticationFailed(null, "10.1.2.5", "POST", "/acls");
        audit.denied(new Session(Principal.user("bob"), "10.9.9.9"), AclOperation.WRITE, ResourceType.TOPIC, "orders");
        assertEquals(List.of(
                "authentication failed: user=alice host=10.1.2.3 route=GET /topics",
                "authentication failed: user=(bearer) host=10.1.2.4 route=GET /topics",
                "authentication failed: user=(none) host=10.1.2.5 route=POST /acls",
                "authorization denied: principal=User:bob operation=WRITE resource=TOPIC:orders host=10.9.9.9"), lines);
        assertFalse(String.join("\n", lines).contains("s3cret") || String.join("\n", lines).contains("eyJ"));
    }

    @Test
    void floodsAreCutToTheRateAndSummedUp() {
        AuditLog audit = new AuditLog(true, 3, () -> now);
        for (int i = 0; i < 10; i++) {
            audit.authenticationFailed(null, "10.0.0.1", "GET", "/x" + i);
        }
        audit.denied(new Session(Principal.user("bob"), "h"), AclOperation.READ, ResourceType.GROUP, "g");
        assertEquals(4, lines.size(), "3 of one kind, and the other kind has its own budget");
        now += 1000;
        audit.authenticationFailed(null, "10.0.0.1", "GET", "/y");
        assertEquals("7 more authentication failed lines suppressed", lines.get(4));
        assertTrue(lines.get(5).endsWith("route=GET /y"));
    }

    @Test
    void offItLogsNothing() {
        new AuditLog(false, 10, () -> now).authenticationFailed(null, "h", "GET", "/");
        assertTrue(lines.isEmpty());
    }
}
