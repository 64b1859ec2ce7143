package io.sluice.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The value of {@code security.cors.allowed.origins}: web origins ({@code scheme://host[:port]}),
 * comma-separated, or {@code *} alone. Validated when the settings are loaded, so that a typo stops
 * the node with a message instead of silently refusing every browser.
 */
public final class CorsOrigins {
    static final String SETTING = "security.cors.allowed.origins";

    private CorsOrigins() {
    }

    /** The origins of {@code raw} (null or blank: none, CORS off), each checked. */
    public static List<String> parse(String raw) {
        List<String> origins = new ArrayList<>();
        if (raw == null) {
            return origins;
        }
        for (String item : raw.split(",")) {
            String origin = item.trim();
            if (!origin.isEmpty()) {
                origins.add(check(origin, raw));
            }
        }
        if (origins.contains("*") && origins.size() > 1) {
            throw ConfigException.invalid(SETTING, SETTING, "either '*' alone or a list of origins", raw);
        }
        return origins;
    }

    /** The settings' origins, also refusing {@code *} with credentials, which browsers refuse too. */
    static void crossCheck(String raw, boolean allowCredentials) {
        if (parse(raw).contains("*") && allowCredentials) {
            throw new ConfigException(SETTING, SETTING + "=* cannot be combined with security.cors.allow.credentials=true: "
                    + "list the origins that may send credentials");
        }
    }

    private static String check(String origin, String raw) {
        if (origin.equals("*")) {
            return origin;
        }
        String expected = "origins as scheme://host[:port] (no path), comma-separated, or '*'";
        try {
            URI uri = new URI(origin);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean bare = uri.getRawPath() == null || uri.getRawPath().isEmpty();
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || !bare
                    || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                throw ConfigException.invalid(SETTING, SETTING, expected, raw);
            }
        } catch (URISyntaxException e) {
            throw ConfigException.invalid(SETTING, SETTING, expected, raw);
        }
        return origin;
    }
}
