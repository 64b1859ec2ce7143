package io.sluice.api;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;

import java.util.regex.Pattern;

/** The rule for group ids: 1 to 249 of {@code a-z A-Z 0-9 . _ -}, like topic names. */
public final class GroupIds {
    private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private GroupIds() {
    }

    public static void validate(String group) {
        if (group == null || !VALID.matcher(group).matches()) {
            throw new SluiceException(ErrorCode.BAD_REQUEST, "invalid group id '" + group + "': use 1 to 249 of a-z A-Z 0-9 . _ -");
        }
    }
}
