package io.sluice.cluster;

import io.sluice.bus.ControllerCommand;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;

import java.util.regex.Pattern;

/**
 * What a topic command may ask for: a topic's name and its counts (partitions, replication
 * factor). An adapter reads a request's raw values with it into a typed {@link ControllerCommand},
 * and the controller checks the typed values again with it (a command may come from anywhere on
 * the bus), so a user sees the same 4xx and message from either.
 */
public final class TopicArguments {
    private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    static final int MAX_PARTITIONS = 10_000;
    private static final int MAX_REPLICATION_FACTOR = Short.MAX_VALUE;

    private TopicArguments() {
    }

    public static void validateTopicName(String name) {
        if (name == null || !TOPIC_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new SluiceException(ErrorCode.INVALID_TOPIC, "invalid topic name '" + name
                    + "': use 1 to 249 of a-z A-Z 0-9 . _ -");
        }
    }

    /** A topic's partition count from a request; {@link ControllerCommand#DEFAULT} when absent. */
    public static int partitions(Object value) {
        return value == null ? ControllerCommand.DEFAULT : positiveInt(value, "partitions", ErrorCode.INVALID_PARTITIONS, MAX_PARTITIONS);
    }

    /** A topic's replication factor from a request; {@link ControllerCommand#DEFAULT} when absent. */
    public static int replicationFactor(Object value) {
        return value == null ? ControllerCommand.DEFAULT
                : positiveInt(value, "replication_factor", ErrorCode.INVALID_REPLICATION_FACTOR, MAX_REPLICATION_FACTOR);
    }

    /** The partition count a topic is to grow to (required). */
    public static int count(Object value) {
        if (value == null) {
            throw new SluiceException(ErrorCode.INVALID_PARTITIONS, "'count' is required");
        }
        return positiveInt(value, "count", ErrorCode.INVALID_PARTITIONS, MAX_PARTITIONS);
    }

    private static int positiveInt(Object value, String field, ErrorCode code, int max) {
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 1
                || ((Number) value).longValue() > max) {
            throw new SluiceException(code, "'" + field + "' must be an integer from 1 to " + max + ", got " + value);
        }
        return ((Number) value).intValue();
    }
}
