package io.sluice.config;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one source (the config file, the environment or the flags) says. Every value is validated as
 * it is put, with a label naming where it came from, so a bad value is reported against its source
 * even when a source of higher precedence overrides it.
 */
final class ConfigLayer {
    private final Map<NodeOption, Object> node = new EnumMap<>(NodeOption.class);
    private final Map<String, String> broker = new LinkedHashMap<>();

    void putNode(NodeOption option, String raw, String label) {
        node.put(option, option.parse(raw, label));
    }

    /** Keeps the raw string: {@link BrokerSettings#with} parses the merged layers once more and checks them together. */
    void putBroker(SettingDef def, String raw, String label) {
        def.parse(raw, label);
        broker.put(def.name(), raw);
    }

    boolean has(NodeOption option) {
        return node.containsKey(option);
    }

    Object get(NodeOption option) {
        return node.get(option);
    }

    Map<String, String> broker() {
        return Collections.unmodifiableMap(broker);
    }
}
