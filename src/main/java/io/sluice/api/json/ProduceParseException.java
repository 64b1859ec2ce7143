package io.sluice.api.json;

/**
 * A produce body, NDJSON line or WebSocket frame that cannot be turned into records. The message
 * names the offending field ({@code records[3].timestamp: expected a non-negative integer}) and is
 * meant to be sent to the client as is, with status 400.
 *
 * <p>No stack trace is captured: the exception is an answer to bad input, which arrives on the hot
 * path at whatever rate a misbehaving client chooses, and the message already says everything.
 */
public final class ProduceParseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProduceParseException(String message) {
        super(message, null, false, false);
    }

    public ProduceParseException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
