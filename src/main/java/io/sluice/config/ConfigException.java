package io.sluice.config;

/**
 * A setting, topic config, flag, environment variable or config-file key that cannot be used. The
 * message is meant for the person who wrote the value: it names where the value came from, the value
 * itself and what would have been accepted. {@link #name()} carries the config name at fault so that
 * the HTTP layer can report it next to the message.
 */
public final class ConfigException extends RuntimeException {
    private final String name;

    public ConfigException(String name, String message) {
        super(message);
        this.name = name;
    }

    public ConfigException(String name, String message, Throwable cause) {
        super(message, cause);
        this.name = name;
    }

    /**
     * An out-of-range or malformed value: {@code "<label>: expected <expected>, got '<value>'"}.
     *
     * @param name  the canonical name of the setting at fault
     * @param label where the value came from, as the user wrote it (a flag, a variable, a file key)
     */
    static ConfigException invalid(String name, String label, String expected, Object got) {
        return new ConfigException(name, label + ": expected " + expected + ", got " + quote(got));
    }

    /** Renders a user-supplied value the way every message quotes it. */
    private static String quote(Object value) {
        return value == null ? "null" : "'" + value + "'";
    }

    /**
     * The canonical name of the setting or topic config at fault; for an unknown name, that name as
     * the user gave it (a flag, an environment variable or a key).
     */
    public String name() {
        return name;
    }
}
