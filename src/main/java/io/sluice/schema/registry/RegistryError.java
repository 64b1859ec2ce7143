package io.sluice.schema.registry;

/**
 * The errors of the Confluent Schema Registry API, by Confluent's own codes and HTTP statuses. They
 * are not {@link io.sluice.common.ErrorCode}s: Confluent's numbers overlap Sluice's (40401 is an
 * unknown subject here, an unknown topic there), so a registry error travels as a
 * {@link RegistryException} of its own, inside the registry's replies on the event bus too, and is
 * written by the registry's routes only.
 */
public enum RegistryError {
    /** Jersey's plain errors, which Confluent answers with the status as the code. */
    NOT_FOUND(404, 404),
    METHOD_NOT_ALLOWED(405, 405),
    NOT_ACCEPTABLE(406, 406),
    UNSUPPORTED_MEDIA_TYPE(415, 415),
    PAYLOAD_TOO_LARGE(413, 413),
    TOO_MANY_REQUESTS(429, 42901),
    BAD_REQUEST(400, 400),
    UNAUTHORIZED(401, 40101),
    FORBIDDEN(403, 40301),
    SUBJECT_NOT_FOUND(404, 40401),
    VERSION_NOT_FOUND(404, 40402),
    SCHEMA_NOT_FOUND(404, 40403),
    SUBJECT_SOFT_DELETED(404, 40404),
    SUBJECT_NOT_SOFT_DELETED(404, 40405),
    SCHEMA_VERSION_SOFT_DELETED(404, 40406),
    SCHEMA_VERSION_NOT_SOFT_DELETED(404, 40407),
    SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED(404, 40408),
    SUBJECT_LEVEL_MODE_NOT_CONFIGURED(404, 40409),
    INCOMPATIBLE_SCHEMA(409, 409),
    INVALID_SCHEMA(422, 42201),
    INVALID_VERSION(422, 42202),
    INVALID_COMPATIBILITY_LEVEL(422, 42203),
    INVALID_MODE(422, 42204),
    OPERATION_NOT_PERMITTED(422, 42205),
    REFERENCE_EXISTS(422, 42206),
    STORE_ERROR(500, 50001),
    OPERATION_TIMEOUT(500, 50002),
    REQUEST_FORWARDING_FAILED(500, 50003);

    private final int httpStatus;
    private final int code;

    RegistryError(int httpStatus, int code) {
        this.httpStatus = httpStatus;
        this.code = code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** Confluent's {@code error_code}. */
    public int code() {
        return code;
    }

    /** The error of Confluent code {@code code}, or {@link #STORE_ERROR} for one this node does not know. */
    public static RegistryError fromCode(int code) {
        for (RegistryError e : values()) {
            if (e.code == code) {
                return e;
            }
        }
        return STORE_ERROR;
    }

    public RegistryException exception(String message) {
        return new RegistryException(this, message);
    }
}
