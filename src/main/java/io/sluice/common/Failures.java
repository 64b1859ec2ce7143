package io.sluice.common;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

import java.util.function.Function;

/**
 * The one translation of a failure into the {@link SluiceException} a client sees: an error
 * that already has a code keeps it; an event-bus reply failure carries the code its handler
 * failed with, or says that nobody was there ({@code NO_HANDLERS}) or nobody answered
 * ({@code TIMEOUT}); anything else is an internal error. Every client of another node (partition,
 * controller, group coordinator) and every interface's error responder goes through here, so a
 * failure gets the same {@link ErrorCode} whichever door it comes out of.
 *
 * <p>What varies between callers is only what a silent peer is called and which code its absence
 * means (a partition with no replica serving it is {@code UNAVAILABLE}, a group with no coordinator
 * is {@code NOT_COORDINATOR}): that is a {@link Peer}.
 */
public final class Failures {
    private Failures() {
    }

    /**
     * The party a bus request went to, as errors name it.
     *
     * @param absentCode              the code when no handler is registered at its address
     * @param absentMessage           the message then
     * @param silentMessage           the message when it did not answer in time ({@code REQUEST_TIMED_OUT})
     * @param otherFailuresAreSilence whether a failure that is neither its own answer nor a bus
     *                                verdict (a transport error) counts as not answering, rather than
     *                                as an internal error (the controller client's view: it only
     *                                knows the controller did not answer)
     */
    public record Peer(ErrorCode absentCode, String absentMessage, String silentMessage, boolean otherFailuresAreSilence) {
        /** A party that needs no name: the bus's own words. */
        public static final Peer ANY = new Peer(ErrorCode.UNAVAILABLE, "nothing serves this request right now",
                "no answer in time", false);

        public Peer(ErrorCode absentCode, String absentMessage, String silentMessage) {
            this(absentCode, absentMessage, silentMessage, false);
        }
    }

    /** {@code failure} as an error, with no peer to name (a handler's own failure, a local call). */
    public static SluiceException toSluice(Throwable failure) {
        return toSluice(failure, Peer.ANY);
    }

    /** {@code failure} of a request to {@code peer} as an error; unknown failures are internal errors. */
    public static SluiceException toSluice(Throwable failure, Peer peer) {
        return toSluice(failure, peer, Failures::internal);
    }

    /**
     * {@code failure} of a request to {@code peer} as an error; {@code otherwise} translates what
     * is neither a {@link SluiceException} nor a bus reply failure (an interface knows its own
     * parse errors, and logs what it does not know).
     */
    public static SluiceException toSluice(Throwable failure, Peer peer, Function<Throwable, SluiceException> otherwise) {
        if (failure instanceof SluiceException se) {
            return se;
        }
        if (failure instanceof ReplyException re) {
            if (re.failureType() == ReplyFailure.NO_HANDLERS) {
                return new SluiceException(peer.absentCode(), peer.absentMessage());
            }
            if (re.failureType() == ReplyFailure.TIMEOUT
                    || (peer.otherFailuresAreSilence() && re.failureType() != ReplyFailure.RECIPIENT_FAILURE)) {
                return new SluiceException(ErrorCode.REQUEST_TIMED_OUT, peer.silentMessage());
            }
            // The handler failed with an error code (a reply failure's code is an error_code).
            return new SluiceException(ErrorCode.fromCode(re.failureCode()), re.getMessage());
        }
        if (peer.otherFailuresAreSilence()) {
            return new SluiceException(ErrorCode.REQUEST_TIMED_OUT, peer.silentMessage());
        }
        return otherwise.apply(failure);
    }

    /** What a failure nobody recognises becomes: an internal error with its message. */
    public static SluiceException internal(Throwable failure) {
        return new SluiceException(ErrorCode.INTERNAL, String.valueOf(failure.getMessage()));
    }
}
