package io.sluice.schema;

/**
 * The schema a typed produce names for its keys or its values, as Confluent REST Proxy v2 takes it:
 * a registered schema's id ({@code value_schema_id}), or a schema text ({@code value_schema}) that
 * the node registers under the topic's subject on the way. Exactly one of the two is set.
 */
public record RequestSchema(Integer id, String schema) {

    public static RequestSchema ofId(int id) {
        return new RequestSchema(id, null);
    }

    public static RequestSchema ofText(String schema) {
        return new RequestSchema(null, schema);
    }
}
