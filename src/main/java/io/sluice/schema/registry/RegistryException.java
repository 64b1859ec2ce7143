package io.sluice.schema.registry;

/** A {@link RegistryError} with its message: answered on the registry's paths in Confluent's error shape. */
public final class RegistryException extends RuntimeException {
    private final RegistryError error;

    public RegistryException(RegistryError error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public RegistryError error() {
        return error;
    }
}
