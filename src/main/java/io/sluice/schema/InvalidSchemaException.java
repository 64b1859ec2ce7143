package io.sluice.schema;

/**
 * A schema text that does not parse, or whose references do not resolve, in its language. The
 * registry answers it with Confluent's 422 / 42201; the message says what is wrong.
 */
public class InvalidSchemaException extends Exception {
    public InvalidSchemaException(String message) {
        super(message, null, false, false);
    }

    public InvalidSchemaException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
