package io.sluice.security;

import io.sluice.testing.Await;
import io.sluice.testing.ManualClock;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tickets on a real Vert.x shared map, with a clock the test moves: random, single use,
 * expiring on the node's clock, bound to their principal and, when asked, to one upgrade path.
 */
class WebSocketTicketsTest {
    private final Vertx vertx = Vertx.vertx();
    private final ManualClock clock = new ManualClock(1_700_000_000_000L);
    private final WebSocketTickets tickets = new WebSocketTickets(vertx, clock, 30_000);

    @AfterEach
    void close() {
        Await.result(vertx.close());
    }

    @Test
    void aTicketIsRandomAndRedeemsOnceForItsPrincipal() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            WebSocketTickets.Issued issued = Await.result(tickets.issue(Principal.user("alice"), null));
            assertTrue(seen.add(issued.ticket()));
            assertTrue(Base64.getUrlDecoder().decode(issued.ticket()).length >= 16, "at least 128 bits");
            assertEquals(30_000, issued.expiresInMs());
        }
        String ticket = seen.iterator().next();
        assertEquals(Principal.user("alice"), Await.result(tickets.redeem(ticket, "/ws/consume")));
        assertNull(Await.result(tickets.redeem(ticket, "/ws/consume")), "single use");
        assertNull(Await.result(tickets.redeem("made-up", "/ws/consume")));
        assertTrue(!WebSocketTickets.Issued.class.getSimpleName().isEmpty()
                && !new WebSocketTickets.Issued(ticket, 1).toString().contains(ticket), "toString hides the ticket");
    }

    @Test
    void aTicketExpiresOnTheNodesClockAndIsConsumedAnyway() {
        String late = Await.result(tickets.issue(Principal.user("alice"), null)).ticket();
        String onTime = Await.result(tickets.issue(Principal.user("bob"), null)).ticket();
        clock.advance(Duration.ofMillis(30_000));
        assertEquals(Principal.user("bob"), Await.result(tickets.redeem(onTime, "/ws/produce")), "valid up to its TTL");
        clock.advance(Duration.ofMillis(1));
        assertNull(Await.result(tickets.redeem(late, "/ws/produce")), "expired");
    }

    @Test
    void aTicketBoundToAPathWorksOnlyThereAndIsSpentByAWrongOne() {
        String ticket = Await.result(tickets.issue(Principal.user("alice"), "/ws/produce")).ticket();
        assertNull(Await.result(tickets.redeem(ticket, "/ws/consume")));
        assertNull(Await.result(tickets.redeem(ticket, "/ws/produce")), "spent by the wrong use");
        String other = Await.result(tickets.issue(Principal.user("alice"), "/ws/produce")).ticket();
        assertEquals(Principal.user("alice"), Await.result(tickets.redeem(other, "/ws/produce")));
        assertThrows(IllegalArgumentException.class, () -> tickets.issue(Principal.user("alice"), "/topics"));
    }
}
