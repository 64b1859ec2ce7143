package io.sluice.api.http;

import io.sluice.partition.ReplicaStatus;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code GET /replicas} renders a replica's status as it did when the replica wrote its own JSON:
 * the same fields, in the same order, with the same nulls and omissions.
 */
class ReplicaStatusJsonTest {
    @Test
    void aLeaderWithOneFollowerThatNeverFetched() {
        ReplicaStatus leader = new ReplicaStatus("clicks", 3, "leader", "n1", 7,
                new ReplicaStatus.Offsets(10, 42, 40, 2), 1, 0, 5,
                new ReplicaStatus.Leading(30, List.of("n1", "n2"), null,
                        List.of(new ReplicaStatus.FollowerProgress("n2", 40, 12L, 3),
                                new ReplicaStatus.FollowerProgress("n3", -1, null, 900))),
                null);
        assertEquals("{\"topic\":\"clicks\",\"partition\":3,\"role\":\"leader\",\"leader\":\"n1\",\"leader_epoch\":7,"
                + "\"log_start_offset\":10,\"log_end_offset\":42,\"high_watermark\":40,\"writes_queued\":2,"
                + "\"produces_awaiting_acks\":1,\"fetches_parked\":0,\"consumer_fetches\":5,"
                + "\"leader_state\":{\"epoch_start_offset\":30,\"isr\":[\"n1\",\"n2\"],\"pending_isr\":null,"
                + "\"followers\":[{\"node\":\"n2\",\"fetch_offset\":40,\"since_fetch_ms\":12,\"since_caught_up_ms\":3},"
                + "{\"node\":\"n3\",\"fetch_offset\":-1,\"since_fetch_ms\":null,\"since_caught_up_ms\":900}]}}",
                ReplicaStatusJson.render(leader).encode());
    }

    @Test
    void aFollowerAndAReplicaWhoseLogIsNotOpenYet() {
        ReplicaStatus follower = new ReplicaStatus("clicks", 0, "follower", "n2", 4,
                new ReplicaStatus.Offsets(0, 8, 8, 0), 0, 1, 0, null,
                new ReplicaStatus.Following("n2", 4, "fetching", 8, 17, null, 2, "timeout"));
        JsonObject f = ReplicaStatusJson.render(follower);
        assertEquals("{\"leader\":\"n2\",\"leader_epoch\":4,\"phase\":\"fetching\",\"fetch_offset\":8,\"fetches\":17,"
                + "\"since_answer_ms\":null,\"failed_in_a_row\":2,\"last_error\":\"timeout\"}", f.getJsonObject("fetcher").encode());
        assertEquals(false, f.containsKey("leader_state"));

        ReplicaStatus idle = new ReplicaStatus("clicks", 1, "idle", null, null, null, 0, 0, 0, null, null);
        assertEquals("{\"topic\":\"clicks\",\"partition\":1,\"role\":\"idle\",\"leader\":null,\"leader_epoch\":null,"
                + "\"produces_awaiting_acks\":0,\"fetches_parked\":0,\"consumer_fetches\":0}", ReplicaStatusJson.render(idle).encode());
    }
}
