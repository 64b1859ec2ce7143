package io.sluice.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;

/**
 * The broker-wide settings of a node, under Kafka's names (see {@link #definitions()}): a value for
 * every defined setting, validated, typed and immutable. Topic configs fall back to these (see
 * {@link TopicConfig}); everything else reads them through the typed getters.
 */
public final class BrokerSettings {
    private static final BrokerSettings DEFAULTS = new BrokerSettings(defaultValues());

    private final Map<String, Object> values;

    private BrokerSettings(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** Every setting at its default. */
    public static BrokerSettings defaults() {
        return DEFAULTS;
    }

    /** The definitions of every broker setting, in help-text order. */
    public static List<SettingDef> definitions() {
        return BrokerSettingDefs.ALL;
    }

    /** The definition named {@code name}, if there is one. */
    public static Optional<SettingDef> definition(String name) {
        return Optional.ofNullable(BrokerSettingDefs.BY_NAME.get(name));
    }

    /**
     * These settings with {@code raw} applied on top: each value is parsed and validated by its
     * definition, then the settings are checked against each other.
     *
     * @throws ConfigException for an unknown name (listing every unknown one, with a suggestion for a
     *                         likely typo), a bad value, or a combination that cannot work
     */
    public BrokerSettings with(Map<String, String> raw) {
        rejectUnknown(raw.keySet());
        Map<String, Object> merged = new LinkedHashMap<>(values);
        raw.forEach((name, value) -> merged.put(name, BrokerSettingDefs.BY_NAME.get(name).parse(value, name)));
        crossCheck(merged);
        return new BrokerSettings(merged);
    }

    private static void rejectUnknown(Set<String> names) {
        List<String> problems = new ArrayList<>();
        String first = null;
        for (String name : new TreeSet<>(names)) {
            if (!BrokerSettingDefs.BY_NAME.containsKey(name)) {
                first = first == null ? name : first;
                problems.add(Names.unknown("broker setting", name, BrokerSettingDefs.BY_NAME.keySet()));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(first, String.join("; ", problems) + "; see --help for the known settings");
        }
    }

    private static void crossCheck(Map<String, Object> v) {
        checkTlsFiles(v, "security.tls", false);
        checkTlsFiles(v, "security.bus.tls", true);
        if (!"none".equals(v.get("security.tls.client.auth")) && v.get("security.tls.truststore") == null) {
            // Without one, the JDK's public CAs would vouch for client certificates.
            throw new ConfigException("security.tls.truststore", "security.tls.client.auth=" + v.get("security.tls.client.auth")
                    + " needs security.tls.truststore: the CA certificates client certificates are verified against");
        }
        CorsOrigins.crossCheck((String) v.get(CorsOrigins.SETTING), (Boolean) v.get("security.cors.allow.credentials"));
        long min = (Long) v.get("group.min.session.timeout.ms");
        long max = (Long) v.get("group.max.session.timeout.ms");
        if (min > max) {
            throw ConfigException.invalid("group.min.session.timeout.ms", "group.min.session.timeout.ms",
                    "at most group.max.session.timeout.ms (" + max + ")", min);
        }
    }

    /**
     * A TLS setting group ({@code <prefix>.cert}, {@code .key}, {@code .keystore}, {@code .truststore}) is used whole
     * or not at all: a key without its certificate, or both a PEM pair and a keystore, is a mistake to report now
     * rather than a port that silently speaks plain text. The event bus also needs its truststore: without one
     * it would trust every node (Vert.x's default).
     */
    private static void checkTlsFiles(Map<String, Object> v, String prefix, boolean truststoreRequired) {
        boolean cert = v.get(prefix + ".cert") != null;
        boolean key = v.get(prefix + ".key") != null;
        boolean keystore = v.get(prefix + ".keystore") != null;
        if (cert != key) {
            String missing = prefix + (cert ? ".key" : ".cert");
            throw new ConfigException(missing, missing + " must be set together with " + prefix + (cert ? ".cert" : ".key"));
        }
        if (cert && keystore) {
            throw new ConfigException(prefix + ".keystore", "set either " + prefix + ".cert and " + prefix
                    + ".key (PEM) or " + prefix + ".keystore (PKCS#12), not both");
        }
        if (keystore && v.get(prefix + ".keystore.password") == null) {
            throw new ConfigException(prefix + ".keystore.password", prefix + ".keystore needs " + prefix + ".keystore.password");
        }
        boolean truststore = v.get(prefix + ".truststore") != null;
        if (truststoreRequired && (cert || keystore) != truststore) {
            String missing = prefix + (truststore ? ".cert" : ".truststore");
            throw new ConfigException(missing, "mutual TLS on the event bus needs a certificate and key and a truststore:"
                    + " set " + prefix + ".cert and " + prefix + ".key (or " + prefix + ".keystore) with " + prefix + ".truststore");
        }
        if (!truststoreRequired && truststore && !(cert || keystore)) {
            throw new ConfigException(prefix + ".truststore", prefix + ".truststore verifies client certificates, which needs"
                    + " TLS on: set " + prefix + ".cert and " + prefix + ".key (or " + prefix + ".keystore)");
        }
    }

    public int getInt(String name) {
        return (Integer) typed(name, SettingDef.Type.INT);
    }

    public long getLong(String name) {
        return (Long) typed(name, SettingDef.Type.LONG);
    }

    public double getDouble(String name) {
        return (Double) typed(name, SettingDef.Type.DOUBLE);
    }

    public boolean getBoolean(String name) {
        return (Boolean) typed(name, SettingDef.Type.BOOLEAN);
    }

    /**
     * The value of a string, password or enum setting (an enum in its canonical spelling, e.g. {@code CreateTime});
     * null for a string or password that is unset.
     */
    public String getString(String name) {
        SettingDef def = require(name);
        if (def.type() != SettingDef.Type.STRING && def.type() != SettingDef.Type.ENUM && def.type() != SettingDef.Type.PASSWORD) {
            throw wrongType(def, "string");
        }
        return (String) values.get(name);
    }

    @SuppressWarnings("unchecked")
    public List<String> getList(String name) {
        return (List<String>) typed(name, SettingDef.Type.LIST);
    }

    /** The typed value of any setting, for code that walks the definitions. */
    Object value(String name) {
        require(name);
        return values.get(name);
    }

    private Object typed(String name, SettingDef.Type type) {
        SettingDef def = require(name);
        if (def.type() != type) {
            throw wrongType(def, type.name().toLowerCase(Locale.ROOT));
        }
        return values.get(name);
    }

    // Asking for a setting that does not exist, or as the wrong type, is a bug in the caller, not bad input.
    private static SettingDef require(String name) {
        SettingDef def = BrokerSettingDefs.BY_NAME.get(name);
        if (def == null) {
            throw new IllegalArgumentException("no broker setting named " + name);
        }
        return def;
    }

    private static IllegalArgumentException wrongType(SettingDef def, String asked) {
        return new IllegalArgumentException(def.name() + " is a " + def.type().name().toLowerCase(Locale.ROOT)
                + " setting, not a " + asked + " one");
    }

    private static Map<String, Object> defaultValues() {
        Map<String, Object> values = new LinkedHashMap<>();
        for (SettingDef def : BrokerSettingDefs.ALL) {
            values.put(def.name(), def.defaultValue());
        }
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BrokerSettings other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /** The settings that differ from their defaults, which is what a startup log line wants. */
    @Override
    public String toString() {
        StringJoiner changed = new StringJoiner(", ", "BrokerSettings{", "}");
        for (SettingDef def : BrokerSettingDefs.ALL) {
            Object value = values.get(def.name());
            if (!java.util.Objects.equals(value, def.defaultValue())) {
                changed.add(def.name() + "=" + def.shown(value));
            }
        }
        return changed.toString();
    }
}
