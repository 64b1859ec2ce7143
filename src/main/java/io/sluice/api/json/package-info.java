/**
 * Records to and from JSON on the API's hot paths: produce bodies, NDJSON lines and WebSocket
 * produce frames in ({@link io.sluice.api.json.ProduceParser}), fetch responses and WebSocket
 * {@code records} frames out ({@link io.sluice.api.json.RecordJsonWriter}).
 *
 * <p>Rules beyond API.md that clients can observe:
 * <ul>
 *   <li>In a record object, JSON null stands for an absent member; an absent key or value is a
 *       null one, so {@code {}} is a record with null key and value.
 *   <li>{@code producer_id} and {@code sequence} come together; {@code producer_epoch} (default
 *       0) only with them; producer ids from 2^62 up are reserved for the broker.
 *   <li>Header names may repeat and keep their order, as in Kafka.
 *   <li>Binary-format input accepts base64 with or without padding; output is always padded.
 *   <li>A WebSocket frame's {@code context} is echoed byte for byte; {@code "context":null} is
 *       echoed as {@code null}; only an absent one leaves {@link io.sluice.api.json.ProduceFrame#context()} null.
 *   <li>Output is always valid UTF-8: malformed bytes in text-format values, header values and
 *       non-JSON bytes read in the json format become U+FFFD.
 * </ul>
 */
package io.sluice.api.json;
