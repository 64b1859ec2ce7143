package io.sluice.schema;

/**
 * A record payload (or a JSON value to be encoded) that its schema does not accept. Produce answers
 * it with 422; the message says which schema and what broke, never the payload itself.
 */
public class InvalidPayloadException extends Exception {
    public InvalidPayloadException(String message) {
        super(message, null, false, false);
    }

    public InvalidPayloadException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
