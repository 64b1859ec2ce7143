package io.sluice.common;

/**
 * An error with a known {@link ErrorCode}: thrown where it is found, turned into the JSON error
 * shape by the HTTP failure handler, into an error frame on sockets, and into a reply failure on
 * the event bus (and back again on the other side).
 */
public class SluiceException extends RuntimeException {
    private final ErrorCode code;

    public SluiceException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
