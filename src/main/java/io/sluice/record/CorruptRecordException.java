package io.sluice.record;

/** Bytes that do not decode as the record format: a bad CRC, a length past the end, a bad field. */
public class CorruptRecordException extends RuntimeException {
    public CorruptRecordException(String message) {
        super(message);
    }
}
