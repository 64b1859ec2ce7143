package io.sluice.schema;

/**
 * A record payload (or a JSON value to be encoded) that its schema does not accept. Produce answers
 * it with 422; the message says which schema and what broke, never the payload itself.
 */
public class InvalidPayloadException extends Exception {
    private final int index;

    public InvalidPayloadException(String message) {
        this(message, null, -1);
    }

    public InvalidPayloadException(String message, Throwable cause) {
        this(message, cause, -1);
    }

    private InvalidPayloadException(String message, Throwable cause, int index) {
        super(message, cause, false, false);
        this.index = index;
    }

    /** This failure, as that of the {@code index}th of several values encoded together. */
    public InvalidPayloadException at(int index) {
        return new InvalidPayloadException(getMessage(), getCause(), index);
    }

    /** Which of several values encoded together failed ({@link ParsedSchema#fromJsonTexts}); -1 for one value. */
    public int index() {
        return index;
    }
}
