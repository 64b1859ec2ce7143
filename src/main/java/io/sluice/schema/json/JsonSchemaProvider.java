package io.sluice.schema.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.sluice.schema.InvalidSchemaException;
import io.sluice.schema.ParsedSchema;
import io.sluice.schema.SchemaProvider;
import io.sluice.schema.SchemaReference;
import io.sluice.schema.SchemaType;

import java.io.FileNotFoundException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses JSON Schema texts (drafts 4, 6, 7, 2019-09 and 2020-12, by their {@code $schema}; draft 7
 * when it is absent, as Confluent's registry assumes) with networknt's validator. A schema is accepted
 * when it is JSON, valid against its draft's meta-schema, and every {@code $ref} resolves, locally or
 * to one of the registry's references; nothing is ever fetched from the network.
 */
public final class JsonSchemaProvider implements SchemaProvider {

    private static final SpecificationVersion DEFAULT_DRAFT = SpecificationVersion.DRAFT_7;
    private static final int MAX_REPORTED = 3;

    @Override
    public SchemaType type() {
        return SchemaType.JSON;
    }

    @Override
    public ParsedSchema parse(String schema, List<SchemaReference> references, Map<String, String> resolved)
            throws InvalidSchemaException {
        JsonSchemaDocuments documents = JsonSchemaDocuments.parse(schema, resolved == null ? Map.of() : resolved);
        Schema compiled = compile(documents);
        return new JsonParsedSchema(schema, documents, compiled, references == null ? List.of() : List.copyOf(references));
    }

    static Schema compile(JsonSchemaDocuments documents) throws InvalidSchemaException {
        JsonNode root = documents.root();
        SpecificationVersion draft = draftOf(root);
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(draft, builder -> builder
                .schemaLoader(loader -> loader.fetchRemoteResources(false))
                .schemas(documents::textFor));
        try {
            checkAgainstMetaSchema(registry, draft, root);
            Schema compiled = registry.getSchema(SchemaLocation.of(documents.baseIri()), root);
            // Builds every keyword's validator now, so an unresolvable $ref fails the registration
            // rather than the first record validated against it.
            compiled.initializeValidators();
            return compiled;
        } catch (SchemaException | IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
            throw new InvalidSchemaException("Invalid JSON Schema: " + reason(e), e);
        } catch (StackOverflowError e) {
            // A last resort: the parser already bounds nesting; the stack unwinds and nothing is shared.
            throw new InvalidSchemaException("Invalid JSON Schema: nested too deeply");
        }
    }

    /** The loader reports a $ref to no known document as a missing file: say it in the registry's terms. */
    private static String reason(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FileNotFoundException) {
                return "$ref '" + t.getMessage() + "' is neither in the schema nor one of its references";
            }
        }
        return e.getMessage();
    }

    private static SpecificationVersion draftOf(JsonNode root) throws InvalidSchemaException {
        JsonNode declared = root.path("$schema");
        if (declared.isMissingNode()) {
            return DEFAULT_DRAFT;
        }
        if (!declared.isTextual()) {
            throw new InvalidSchemaException("Invalid JSON Schema: $schema must be a string");
        }
        Optional<SpecificationVersion> version = SpecificationVersion.fromDialectId(declared.asText());
        if (version.isEmpty()) {
            // Tolerate the common spellings that differ only by a trailing '#' or 'http(s)'.
            String id = declared.asText().replaceFirst("#$", "");
            for (SpecificationVersion v : SpecificationVersion.values()) {
                String known = v.getDialectId().replaceFirst("#$", "");
                if (known.replaceFirst("^https?", "").equals(id.replaceFirst("^https?", ""))) {
                    return v;
                }
            }
            throw new InvalidSchemaException("Invalid JSON Schema: unsupported $schema '" + declared.asText()
                    + "' (drafts 4, 6, 7, 2019-09 and 2020-12 are supported)");
        }
        return version.get();
    }

    private static void checkAgainstMetaSchema(SchemaRegistry registry, SpecificationVersion draft, JsonNode root)
            throws InvalidSchemaException {
        Schema meta = registry.getSchema(SchemaLocation.of(draft.getDialectId()));
        List<Error> errors = meta.validate(root);
        if (!errors.isEmpty()) {
            throw new InvalidSchemaException("Invalid JSON Schema: " + describe(errors));
        }
    }

    /** The first few errors, each with where it is; never the whole list of a large document. */
    static String describe(List<Error> errors) {
        StringBuilder out = new StringBuilder();
        int n = Math.min(errors.size(), MAX_REPORTED);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                out.append("; ");
            }
            Error e = errors.get(i);
            String at = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
            out.append(at.isEmpty() ? "/" : at).append(": ").append(e.getMessage());
        }
        if (errors.size() > n) {
            out.append(" (and ").append(errors.size() - n).append(" more)");
        }
        return out.toString();
    }
}
