package io.sluice.common;

/**
 * Every error a client can get back, with its HTTP status and the five-digit {@code error_code}
 * of the JSON error shape (the status followed by a sequence number, as Confluent's REST proxy
 * does). The same codes travel as failure codes of event-bus replies between nodes, so an error
 * raised by a partition leader reaches the client unchanged.
 */
public enum ErrorCode {
    BAD_REQUEST(400, 40001),
    INVALID_RECORD(400, 40002),
    INVALID_TOPIC(400, 40003),
    INVALID_CONFIG(400, 40004),
    INVALID_PARTITIONS(400, 40005),
    INVALID_REPLICATION_FACTOR(400, 40006),
    INVALID_OFFSET(400, 40007),
    INVALID_FRAME(400, 40008),
    OUT_OF_ORDER_SEQUENCE(400, 40009),
    INVALID_PRODUCER_EPOCH(400, 40010),
    /** No credentials, or credentials that do not verify (API.md, "Security"). */
    UNAUTHORIZED(401, 40101),
    /** A known principal without the ACL; the message names no resource the principal may not see. */
    FORBIDDEN(403, 40301),
    UNKNOWN_TOPIC(404, 40401),
    UNKNOWN_PARTITION(404, 40402),
    UNKNOWN_GROUP(404, 40403),
    NOT_FOUND(404, 40404),
    OFFSET_OUT_OF_RANGE(416, 41601),
    METHOD_NOT_ALLOWED(405, 40501),
    REQUEST_TIMED_OUT(408, 40801),
    TOPIC_EXISTS(409, 40901),
    GROUP_NOT_EMPTY(409, 40902),
    NOT_ASSIGNED(409, 40903),
    REBALANCE_IN_PROGRESS(409, 40904),
    UNKNOWN_MEMBER(409, 40905),
    INCONSISTENT_GROUP_PROTOCOL(409, 40906),
    FENCED_LEADER_EPOCH(409, 40907),
    RECORD_TOO_LARGE(413, 41301),
    BODY_TOO_LARGE(413, 41302),
    /** A request line longer than the server reads (Netty's limit); the connection is closed. */
    URI_TOO_LONG(414, 41401),
    UNSUPPORTED_MEDIA_TYPE(415, 41501),
    /**
     * A record that breaks its topic's schema rules, or a typed JSON value its schema refuses; also
     * keys sent in a typed format without {@code key_schema}/{@code key_schema_id} (REST Proxy v2's 42201).
     */
    SCHEMA_VIOLATION(422, 42201),
    /** Values sent in a typed format without {@code value_schema}/{@code value_schema_id} (REST Proxy v2's 42202). */
    VALUE_SCHEMA_REQUIRED(422, 42202),
    /** A typed produce's schema that cannot be used: unknown id, wrong type, does not parse, refused by the registry. */
    INVALID_SCHEMA(422, 42205),
    /** A WebSocket handshake in a version this node does not speak (RFC 6455, 4.4). */
    UPGRADE_REQUIRED(426, 42601),
    /** Over a quota where delaying the answer cannot work; sent with {@code Retry-After}. */
    THROTTLED(429, 42901),
    /** Request headers larger than the server reads (Netty's limit); the connection is closed. */
    HEADERS_TOO_LARGE(431, 43101),
    INTERNAL(500, 50001),
    STORAGE_ERROR(500, 50002),
    NOT_ENOUGH_REPLICAS(503, 50301),
    NOT_LEADER(503, 50302),
    UNAVAILABLE(503, 50303),
    NOT_COORDINATOR(503, 50304),
    COORDINATOR_LOADING(503, 50305),
    /** A request line with an HTTP version other than 1.0 and 1.1; the connection is closed. */
    HTTP_VERSION_NOT_SUPPORTED(505, 50501);

    private final int httpStatus;
    private final int code;

    ErrorCode(int httpStatus, int code) {
        this.httpStatus = httpStatus;
        this.code = code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The {@code error_code} of the JSON error shape. */
    public int code() {
        return code;
    }

    /** Whether a client (or a forwarding node) may retry the same request later. */
    public boolean retriable() {
        return this == NOT_LEADER || this == NOT_ENOUGH_REPLICAS || this == UNAVAILABLE || this == REQUEST_TIMED_OUT
                || this == NOT_COORDINATOR || this == COORDINATOR_LOADING;
    }

    /** The code for an {@code error_code} value, or {@link #INTERNAL} for one this node does not know. */
    public static ErrorCode fromCode(int code) {
        for (ErrorCode e : values()) {
            if (e.code == code) {
                return e;
            }
        }
        return INTERNAL;
    }
}
