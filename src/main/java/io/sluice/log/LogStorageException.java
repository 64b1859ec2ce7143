package io.sluice.log;

/**
 * A disk operation of a log failed. The log refuses further writes after one (its state on disk
 * is unknown); the owner reports the partition offline and reopens it, which recovers it.
 */
public final class LogStorageException extends LogException {
    public LogStorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
