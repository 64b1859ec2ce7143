package io.sluice.schema.protobuf;

import com.squareup.wire.schema.CoreLoader;
import com.squareup.wire.schema.ErrorCollector;
import com.squareup.wire.schema.Loader;
import com.squareup.wire.schema.Location;
import com.squareup.wire.schema.ProtoFile;
import com.squareup.wire.schema.internal.parser.ProtoFileElement;
import com.squareup.wire.schema.internal.parser.ProtoParser;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wire's {@link Loader} for one registration: the schema being parsed, the registry's references
 * (import path to .proto text), and the well-known {@code google/protobuf/*.proto} files shipped on
 * the classpath (by Wire and protobuf-java). Nothing is read from disk; an import that is none of
 * these is remembered, so the provider can say which one is missing.
 */
final class ProtoFileLoader implements Loader {

    /** The path the schema being registered gets among its imports (it has none of its own). */
    static final String ROOT_PATH = "__sluice_schema__.proto";

    /** Parsed well-known files; elements are immutable, while linked ProtoFiles are not, so only elements are shared. */
    private static final Map<String, ProtoFileElement> WELL_KNOWN = new ConcurrentHashMap<>();

    private final ProtoFileElement root;
    private final Map<String, ProtoFileElement> references;
    private final List<String> missing;

    private ProtoFileLoader(ProtoFileElement root, Map<String, ProtoFileElement> references, List<String> missing) {
        this.root = root;
        this.references = references;
        this.missing = missing;
    }

    ProtoFileLoader(ProtoFileElement root, Map<String, ProtoFileElement> references) {
        this(root, references, Collections.synchronizedList(new ArrayList<>()));
    }

    /** Parses one .proto text; Wire reports syntax errors as unchecked exceptions. */
    static ProtoFileElement parse(String path, String text) {
        return ProtoParser.Companion.parse(Location.get(path), text);
    }

    static boolean isWellKnown(String path) {
        return path.startsWith("google/protobuf/") || path.startsWith("wire/");
    }

    @Override
    public ProtoFile load(String path) {
        if (path.equals(ROOT_PATH)) {
            return ProtoFile.Companion.get(root);
        }
        ProtoFileElement reference = references.get(path);
        if (reference != null) {
            return ProtoFile.Companion.get(reference);
        }
        if (isWellKnown(path)) {
            ProtoFileElement wellKnown = wellKnown(path);
            if (wellKnown != null) {
                return ProtoFile.Companion.get(wellKnown);
            }
            if (path.startsWith("wire/")) {
                return CoreLoader.INSTANCE.load(path);
            }
        }
        missing.add(path);
        return ProtoFile.Companion.get(ProtoFileElement.Companion.empty(path));
    }

    private static ProtoFileElement wellKnown(String path) {
        ProtoFileElement cached = WELL_KNOWN.get(path);
        if (cached != null) {
            return cached;
        }
        try (InputStream in = ProtoFileLoader.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                return null;
            }
            ProtoFileElement parsed = parse(path, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            WELL_KNOWN.putIfAbsent(path, parsed);
            return parsed;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public Loader withErrors(ErrorCollector errors) {
        return this;
    }

    /** Imports that were neither a reference nor a well-known file. */
    List<String> missing() {
        synchronized (missing) {
            return List.copyOf(missing);
        }
    }
}
