package io.sluice.schema.json;

/**
 * The rule table: every kind of change the JSON Schema walker reports, by Confluent's names, and
 * whether data written with the old schema can still be read with the new one (Confluent's
 * documented JSON Schema compatibility rules). The names read "from writer to reader": a change is
 * compatible when every document the writer's schema accepts, the reader's schema accepts too.
 *
 * <p>The rule Confluent's users trip on most is {@link #PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL}: with
 * {@code additionalProperties} absent or true, old data may already carry the new property with any
 * value, so adding a typed property is refused; a closed ({@code false}) or partially open model
 * ({@code additionalProperties} or {@code patternProperties} schemas that cover the new property) is
 * how to evolve.
 */
enum JsonSchemaChange {
    SCHEMA_ADDED(false),
    SCHEMA_REMOVED(true),
    TYPE_CHANGED(false),
    TYPE_EXTENDED(true),
    TYPE_NARROWED(false),

    MAX_LENGTH_ADDED(false),
    MAX_LENGTH_REMOVED(true),
    MAX_LENGTH_INCREASED(true),
    MAX_LENGTH_DECREASED(false),
    MIN_LENGTH_ADDED(false),
    MIN_LENGTH_REMOVED(true),
    MIN_LENGTH_INCREASED(false),
    MIN_LENGTH_DECREASED(true),
    PATTERN_ADDED(false),
    PATTERN_REMOVED(true),
    PATTERN_CHANGED(false),

    MAXIMUM_ADDED(false),
    MAXIMUM_REMOVED(true),
    MAXIMUM_INCREASED(true),
    MAXIMUM_DECREASED(false),
    MINIMUM_ADDED(false),
    MINIMUM_REMOVED(true),
    MINIMUM_INCREASED(false),
    MINIMUM_DECREASED(true),
    EXCLUSIVE_MAXIMUM_ADDED(false),
    EXCLUSIVE_MAXIMUM_REMOVED(true),
    EXCLUSIVE_MAXIMUM_INCREASED(true),
    EXCLUSIVE_MAXIMUM_DECREASED(false),
    EXCLUSIVE_MINIMUM_ADDED(false),
    EXCLUSIVE_MINIMUM_REMOVED(true),
    EXCLUSIVE_MINIMUM_INCREASED(false),
    EXCLUSIVE_MINIMUM_DECREASED(true),
    MULTIPLE_OF_ADDED(false),
    MULTIPLE_OF_REMOVED(true),
    /** The new multipleOf is a multiple of the old: fewer numbers pass. */
    MULTIPLE_OF_EXPANDED(false),
    /** The old multipleOf is a multiple of the new: more numbers pass. */
    MULTIPLE_OF_REDUCED(true),
    MULTIPLE_OF_CHANGED(false),

    REQUIRED_ATTRIBUTE_ADDED(false),
    REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED(true),
    REQUIRED_ATTRIBUTE_REMOVED(true),
    DEPENDENCY_ARRAY_ADDED(false),
    DEPENDENCY_ARRAY_REMOVED(true),
    DEPENDENCY_ARRAY_EXTENDED(false),
    DEPENDENCY_ARRAY_NARROWED(true),
    DEPENDENCY_ARRAY_CHANGED(false),
    DEPENDENCY_SCHEMA_ADDED(false),
    DEPENDENCY_SCHEMA_REMOVED(true),
    MAX_PROPERTIES_ADDED(false),
    MAX_PROPERTIES_REMOVED(true),
    MAX_PROPERTIES_INCREASED(true),
    MAX_PROPERTIES_DECREASED(false),
    MIN_PROPERTIES_ADDED(false),
    MIN_PROPERTIES_REMOVED(true),
    MIN_PROPERTIES_INCREASED(false),
    MIN_PROPERTIES_DECREASED(true),
    ADDITIONAL_PROPERTIES_ADDED(true),
    ADDITIONAL_PROPERTIES_REMOVED(false),
    ADDITIONAL_PROPERTIES_EXTENDED(true),
    ADDITIONAL_PROPERTIES_NARROWED(false),
    PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL(false),
    PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL(true),
    REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL(false),
    REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL(true),
    OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL(true),
    PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL(true),
    PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL(false),
    PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL(true),
    PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL(true),
    PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL(false),
    PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL(true),
    PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL(false),

    MAX_ITEMS_ADDED(false),
    MAX_ITEMS_REMOVED(true),
    MAX_ITEMS_INCREASED(true),
    MAX_ITEMS_DECREASED(false),
    MIN_ITEMS_ADDED(false),
    MIN_ITEMS_REMOVED(true),
    MIN_ITEMS_INCREASED(false),
    MIN_ITEMS_DECREASED(true),
    UNIQUE_ITEMS_ADDED(false),
    UNIQUE_ITEMS_REMOVED(true),
    ADDITIONAL_ITEMS_ADDED(true),
    ADDITIONAL_ITEMS_REMOVED(false),
    ADDITIONAL_ITEMS_EXTENDED(true),
    ADDITIONAL_ITEMS_NARROWED(false),
    ITEM_ADDED_TO_OPEN_CONTENT_MODEL(false),
    ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL(true),
    ITEM_ADDED_TO_CLOSED_CONTENT_MODEL(true),
    ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL(true),
    ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL(false),
    ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL(true),
    ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL(true),
    ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL(false),
    ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL(true),
    ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL(false),

    ENUM_ARRAY_EXTENDED(true),
    ENUM_ARRAY_NARROWED(false),
    ENUM_ARRAY_CHANGED(false),

    /** allOf/oneOf became anyOf (or a single-branch combination became oneOf). */
    COMBINED_TYPE_EXTENDED(true),
    COMBINED_TYPE_CHANGED(false),
    /** allOf gained a branch: one more constraint. */
    PRODUCT_TYPE_EXTENDED(false),
    PRODUCT_TYPE_NARROWED(true),
    /** anyOf/oneOf gained a branch: one more alternative. */
    SUM_TYPE_EXTENDED(true),
    SUM_TYPE_NARROWED(false),
    /** No pairing of old and new branches in which each pair is compatible covers the smaller side. */
    COMBINED_TYPE_SUBSCHEMAS_CHANGED(false),
    NOT_TYPE_EXTENDED(false),
    NOT_TYPE_NARROWED(true);

    private final boolean compatible;

    JsonSchemaChange(boolean compatible) {
        this.compatible = compatible;
    }

    boolean compatible() {
        return compatible;
    }
}
