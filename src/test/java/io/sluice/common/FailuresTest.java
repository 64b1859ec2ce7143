package io.sluice.common;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class FailuresTest {
    private static final Failures.Peer COORDINATOR = new Failures.Peer(ErrorCode.NOT_COORDINATOR, "not reachable", "did not answer");
    private static final Failures.Peer CONTROLLER = new Failures.Peer(ErrorCode.UNAVAILABLE, "no controller", "silent", true);

    @Test
    void anErrorWithACodeKeepsIt() {
        SluiceException e = new SluiceException(ErrorCode.UNKNOWN_TOPIC, "no topic 't'");
        assertSame(e, Failures.toSluice(e));
        assertSame(e, Failures.toSluice(e, COORDINATOR));
        assertSame(e, Failures.toSluice(e, CONTROLLER));
    }

    @Test
    void aHandlersFailureCarriesItsErrorCodeAcrossTheBus() {
        ReplyException re = new ReplyException(ReplyFailure.RECIPIENT_FAILURE, ErrorCode.NOT_LEADER.code(), "n2 does not lead t-0");
        for (Failures.Peer peer : new Failures.Peer[]{Failures.Peer.ANY, COORDINATOR, CONTROLLER}) {
            SluiceException e = Failures.toSluice(re, peer);
            assertEquals(ErrorCode.NOT_LEADER, e.code());
            assertEquals("n2 does not lead t-0", e.getMessage());
        }
    }

    @Test
    void anUnknownFailureCodeIsInternal() {
        ReplyException re = new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 12345, "from a newer node");
        assertEquals(ErrorCode.INTERNAL, Failures.toSluice(re, COORDINATOR).code());
    }

    @Test
    void nobodyAtTheAddressIsThePeersAbsence() {
        ReplyException re = new ReplyException(ReplyFailure.NO_HANDLERS, "no handlers");
        SluiceException e = Failures.toSluice(re, COORDINATOR);
        assertEquals(ErrorCode.NOT_COORDINATOR, e.code());
        assertEquals("not reachable", e.getMessage());
        assertEquals(ErrorCode.UNAVAILABLE, Failures.toSluice(re, CONTROLLER).code());
        assertEquals(ErrorCode.UNAVAILABLE, Failures.toSluice(re).code());
    }

    @Test
    void noAnswerInTimeIsATimeout() {
        ReplyException re = new ReplyException(ReplyFailure.TIMEOUT, "timed out");
        SluiceException e = Failures.toSluice(re, COORDINATOR);
        assertEquals(ErrorCode.REQUEST_TIMED_OUT, e.code());
        assertEquals("did not answer", e.getMessage());
        assertEquals(ErrorCode.REQUEST_TIMED_OUT, Failures.toSluice(re).code());
    }

    @Test
    void aTransportErrorIsInternalUnlessThePeerCountsItAsSilence() {
        ReplyException re = new ReplyException(ReplyFailure.ERROR, -1, "connection reset");
        assertEquals(ErrorCode.INTERNAL, Failures.toSluice(re, COORDINATOR).code());
        SluiceException e = Failures.toSluice(re, CONTROLLER);
        assertEquals(ErrorCode.REQUEST_TIMED_OUT, e.code());
        assertEquals("silent", e.getMessage());
        assertEquals(ErrorCode.REQUEST_TIMED_OUT, Failures.toSluice(new IllegalStateException("x"), CONTROLLER).code());
    }

    @Test
    void anythingElseIsInternalWithItsMessage() {
        SluiceException e = Failures.toSluice(new IllegalStateException("disk on fire"));
        assertEquals(ErrorCode.INTERNAL, e.code());
        assertEquals("disk on fire", e.getMessage());
    }

    @Test
    void anInterfaceTranslatesWhatOnlyItKnows() {
        SluiceException e = Failures.toSluice(new NumberFormatException("abc"), Failures.Peer.ANY,
                f -> new SluiceException(ErrorCode.BAD_REQUEST, f.getMessage()));
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
        // What already has a code, or came over the bus, is not the interface's to translate.
        ReplyException re = new ReplyException(ReplyFailure.RECIPIENT_FAILURE, ErrorCode.UNKNOWN_GROUP.code(), "g");
        assertEquals(ErrorCode.UNKNOWN_GROUP, Failures.toSluice(re, Failures.Peer.ANY,
                f -> new SluiceException(ErrorCode.BAD_REQUEST, "wrong")).code());
    }
}
