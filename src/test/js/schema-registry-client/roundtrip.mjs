// Confluent's JavaScript schema registry client and its serdes, unchanged, against a Sluice node:
// for AVRO, JSON and PROTOBUF it registers a schema, looks it up, serializes a value, sends the
// bytes through Sluice (a topic that validates values), fetches them back and deserializes them.
// Usage: node roundtrip.mjs <node url> <topic prefix>. Prints one JSON line per type; exits non-zero
// on the first failure. Run by ConfluentSchemaRegistryClientIT.
import {
  SchemaRegistryClient, SerdeType,
  AvroSerializer, AvroDeserializer, JsonSerializer, JsonDeserializer,
  ProtobufSerializer, ProtobufDeserializer,
} from '@confluentinc/schemaregistry';
import { create, createFileRegistry, toJson } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import assert from 'node:assert/strict';

const [url, prefix] = process.argv.slice(2);
const client = new SchemaRegistryClient({ baseURLs: [url], cacheCapacity: 100 });

async function http(method, path, body, contentType = 'application/json') {
  const res = await fetch(url + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': contentType },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text.length ? JSON.parse(text) : null };
}

/** Produces raw bytes to partition 0 of a validating topic and reads them back. */
async function throughSluice(topic, bytes) {
  const created = await http('POST', '/topics', {
    name: topic, partitions: 1, replication_factor: 1,
    configs: { 'confluent.value.schema.validation': true },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const produced = await http('POST', `/topics/${topic}/records`,
    { records: [{ partition: 0, value: Buffer.from(bytes).toString('base64') }] },
    'application/vnd.kafka.binary.v2+json');
  assert.equal(produced.status, 200, JSON.stringify(produced.body));
  const refused = await http('POST', `/topics/${topic}/records`,
    { records: [{ partition: 0, value: Buffer.from('not wire format').toString('base64') }] },
    'application/vnd.kafka.binary.v2+json');
  assert.equal(refused.status, 422, JSON.stringify(refused.body));
  const page = await http('GET', `/topics/${topic}/partitions/0/records?offset=0&format=binary`);
  assert.equal(page.status, 200, JSON.stringify(page.body));
  assert.equal(page.body.records.length, 1, 'only the valid record was stored');
  return Buffer.from(page.body.records[0].value, 'base64');
}

async function avro() {
  const topic = `${prefix}-avro`;
  const schema = JSON.stringify({
    type: 'record', name: 'User', namespace: 'it',
    fields: [{ name: 'name', type: 'string' }, { name: 'age', type: 'int' }],
  });
  const subject = `${topic}-value`;
  const id = await client.register(subject, { schemaType: 'AVRO', schema });
  assert.equal(await client.getId(subject, { schemaType: 'AVRO', schema }), id);
  const latest = await client.getLatestSchemaMetadata(subject);
  assert.equal(latest.id, id);
  assert.equal(latest.version, 1);
  const ser = new AvroSerializer(client, SerdeType.VALUE, { useLatestVersion: true });
  const value = { name: 'ada', age: 36 };
  const bytes = await ser.serialize(topic, value);
  assert.equal(bytes.readInt32BE(1), id, 'the wire format carries the registered id');
  const stored = await throughSluice(topic, bytes);
  // (avsc answers an instance of a class named after the record: compare its fields.)
  const back = { ...await new AvroDeserializer(client, SerdeType.VALUE, {}).deserialize(topic, stored) };
  assert.deepEqual(back, value);
  return { type: 'AVRO', id, version: latest.version, value: back };
}

async function json() {
  const topic = `${prefix}-json`;
  const schema = JSON.stringify({
    $schema: 'http://json-schema.org/draft-07/schema#', title: 'Order', type: 'object',
    properties: { id: { type: 'integer' }, item: { type: 'string' } }, required: ['id', 'item'],
  });
  const subject = `${topic}-value`;
  const id = await client.register(subject, { schemaType: 'JSON', schema });
  assert.equal(await client.getId(subject, { schemaType: 'JSON', schema }), id);
  const ser = new JsonSerializer(client, SerdeType.VALUE, { useLatestVersion: true, validate: true });
  const value = { id: 7, item: 'tea' };
  const bytes = await ser.serialize(topic, value);
  assert.equal(bytes.readInt32BE(1), id);
  const stored = await throughSluice(topic, bytes);
  const back = await new JsonDeserializer(client, SerdeType.VALUE, { validate: true }).deserialize(topic, stored);
  assert.deepEqual(back, value);
  return { type: 'JSON', id, value: back };
}

async function protobuf() {
  const topic = `${prefix}-protobuf`;
  // The message a protoc-generated module would describe, built at run time (no code generation here).
  const file = create(FileDescriptorProtoSchema, {
    name: 'it/user.proto', package: 'it', syntax: 'proto3',
    messageType: [{
      name: 'User',
      field: [
        { name: 'name', number: 1, type: 9, label: 1, jsonName: 'name' },
        { name: 'age', number: 2, type: 5, label: 1, jsonName: 'age' },
      ],
    }],
  });
  const registry = createFileRegistry(file, () => undefined);
  const desc = registry.getMessage('it.User');
  const ser = new ProtobufSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: true, registry });
  const value = create(desc, { name: 'grace', age: 45 });
  const bytes = await ser.serialize(topic, value);
  const id = bytes.readInt32BE(1);
  const latest = await client.getLatestSchemaMetadata(`${topic}-value`);
  assert.equal(latest.id, id, 'the serializer registered the schema it wrote with');
  const stored = await throughSluice(topic, bytes);
  const back = await new ProtobufDeserializer(client, SerdeType.VALUE, {}).deserialize(topic, stored);
  assert.deepEqual(toJson(desc, back), { name: 'grace', age: 45 });
  return { type: 'PROTOBUF', id, value: toJson(desc, back) };
}

const only = process.argv[4];
for (const [name, run] of [['AVRO', avro], ['JSON', json], ['PROTOBUF', protobuf]]) {
  if (only && only !== name) continue;
  try {
    console.log(JSON.stringify(await run()));
  } catch (e) {
    console.error(`${name} failed: ${e.stack ?? e}`);
    process.exit(1);
  }
}
