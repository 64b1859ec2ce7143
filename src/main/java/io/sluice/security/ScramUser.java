package io.sluice.security;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A user and its SCRAM credentials, one per mechanism (Kafka's UserScramCredentials), as the
 * replicated cluster metadata keeps it. Its principal is {@code User:<name>}.
 *
 * @param name        the user's name: letters, digits and {@code . _ - @}, at most 128 characters
 * @param credentials the credential of each mechanism the user has
 */
public record ScramUser(String name, Map<ScramMechanism, ScramCredential> credentials) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,128}");

    public ScramUser {
        validateName(name);
        Objects.requireNonNull(credentials, "credentials");
        credentials = credentials.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new EnumMap<>(credentials));
    }

    /** Refuses a name a principal or a Basic header cannot carry. */
    public static void validateName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a user name is 1 to 128 letters, digits and . _ - @");
        }
    }

    public Principal principal() {
        return Principal.user(name);
    }

    public ScramCredential credential(ScramMechanism mechanism) {
        return credentials.get(mechanism);
    }
}
