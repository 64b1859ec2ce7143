package io.sluice.schema.registry;

import java.util.Locale;

/**
 * Confluent's registry modes: READWRITE (the default), READONLY (no registration, delete or config
 * change under it), IMPORT (registrations carry their ids, as when copying another registry in).
 */
public enum Mode {
    READWRITE, READONLY, IMPORT;

    /** @throws RegistryException 42204 for a name Confluent does not define */
    public static Mode fromApi(String name) {
        try {
            return Mode.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw RegistryError.INVALID_MODE.exception("Invalid mode " + name);
        }
    }
}
