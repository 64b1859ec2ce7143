package io.sluice.bus;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.security.AclBinding;
import io.sluice.security.AclFilter;
import io.sluice.security.ScramUser;

import java.io.IOException;
import java.util.List;

/**
 * The wire form of the security records that controller commands and replies carry (users with
 * their credentials, ACLs, ACL filters): their JSON, the same as the metadata store's.
 */
final class SecurityJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final TypeReference<ScramUser> USER = new TypeReference<>() {
    };
    static final TypeReference<List<AclBinding>> ACLS = new TypeReference<>() {
    };
    static final TypeReference<List<AclFilter>> FILTERS = new TypeReference<>() {
    };

    private SecurityJson() {
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("no wire form for " + value.getClass().getSimpleName(), e);
        }
    }

    static <T> T read(String json, TypeReference<T> type) {
        if (json == null) {
            throw new IllegalArgumentException("a security record is missing");
        }
        try {
            return JSON.readValue(json, type);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a security record: " + e.getMessage());
        }
    }
}
