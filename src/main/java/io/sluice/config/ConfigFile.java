package io.sluice.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Reads a config file: Java properties in UTF-8 whose keys are node options by their key
 * ({@code http.port}, {@code cluster.members}, ...) and broker settings by their Kafka name. An
 * unknown key is an error rather than a silently ignored typo.
 */
final class ConfigFile {
    private ConfigFile() {
    }

    /** @param label the flag or variable that named the file, for the error message */
    static ConfigLayer read(Path file, String label) {
        Properties properties = load(file, label);
        ConfigLayer layer = new ConfigLayer();
        for (String key : new TreeSet<>(properties.stringPropertyNames())) {
            String value = properties.getProperty(key);
            String where = key + " (in " + file + ")";
            Optional<NodeOption> option = nodeOption(key);
            Optional<SettingDef> setting = BrokerSettings.definition(key);
            if (option.isPresent()) {
                layer.putNode(option.get(), value, where);
            } else if (setting.isPresent()) {
                layer.putBroker(setting.get(), value, where);
            } else {
                throw new ConfigException(key, "config file " + file + ": " + Names.unknown("key", key, knownKeys())
                        + "; see --help");
            }
        }
        return layer;
    }

    private static Properties load(Path file, String label) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
            return properties;
        } catch (NoSuchFileException e) {
            throw new ConfigException(NodeOption.CONFIG.key, label + ": config file '" + file + "' does not exist", e);
        } catch (AccessDeniedException e) {
            throw new ConfigException(NodeOption.CONFIG.key, label + ": config file '" + file + "' is not readable", e);
        } catch (CharacterCodingException e) {
            throw new ConfigException(NodeOption.CONFIG.key, label + ": config file '" + file + "' is not UTF-8 text", e);
        } catch (IOException | IllegalArgumentException e) {
            // IllegalArgumentException is how Properties reports a malformed Unicode escape.
            throw new ConfigException(NodeOption.CONFIG.key,
                    label + ": cannot read config file '" + file + "': " + e.getMessage(), e);
        }
    }

    private static Optional<NodeOption> nodeOption(String key) {
        for (NodeOption option : NodeOption.values()) {
            if (option.inConfigFile() && option.key.equals(key)) {
                return Optional.of(option);
            }
        }
        return Optional.empty();
    }

    private static List<String> knownKeys() {
        List<String> keys = new ArrayList<>();
        for (NodeOption option : NodeOption.values()) {
            if (option.inConfigFile()) {
                keys.add(option.key);
            }
        }
        keys.addAll(BrokerSettingDefs.BY_NAME.keySet());
        return keys;
    }
}
