package io.sluice.bus;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;

/** How much a producer waits for: nothing, the leader's write, or every in-sync replica. */
public enum Acks {
    NONE, LEADER, ALL;

    /** Parses the {@code acks} query value: {@code 0}, {@code 1}, {@code all} (or {@code -1}). */
    public static Acks parse(String value) {
        if (value == null) {
            return ALL;
        }
        return switch (value) {
            case "0" -> NONE;
            case "1" -> LEADER;
            case "all", "-1" -> ALL;
            default -> throw new SluiceException(ErrorCode.BAD_REQUEST, "acks must be 0, 1 or all, got '" + value + "'");
        };
    }
}
