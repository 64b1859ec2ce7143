package io.sluice.log;

/**
 * Base of the errors a log reports to its owner. Subclasses name conditions the caller can act
 * on (answer the client, retry, truncate); {@link LogStorageException} means the disk failed.
 */
public class LogException extends RuntimeException {
    public LogException(String message) {
        super(message);
    }

    public LogException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An offset below the log start or above the log end. */
    public static final class OffsetOutOfRange extends LogException {
        public OffsetOutOfRange(String message) {
            super(message);
        }
    }

    /** A batch larger than {@code max.message.bytes} or than a segment can hold. */
    public static final class RecordTooLarge extends LogException {
        public RecordTooLarge(String message) {
            super(message);
        }
    }

    /** An idempotent producer's sequence that is neither the next one nor a known duplicate. */
    public static final class OutOfOrderSequence extends LogException {
        public OutOfOrderSequence(String message) {
            super(message);
        }
    }

    /** A producer epoch older than the one the log has seen: a fenced, zombie producer. */
    public static final class InvalidProducerEpoch extends LogException {
        public InvalidProducerEpoch(String message) {
            super(message);
        }
    }

    /** Batches handed to a follower append that are corrupt or do not follow the log end. */
    public static final class InvalidBatch extends LogException {
        public InvalidBatch(String message) {
            super(message);
        }
    }
}
