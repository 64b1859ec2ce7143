package io.sluice.security;

import java.util.Locale;

/** Whether an ACL allows or denies; a matching DENY always wins (Kafka's AclPermissionType). */
public enum AclPermission {
    ALLOW, DENY;

    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AclPermission parse(String text) {
        return Names.parse(AclPermission.class, text, "permission");
    }
}
