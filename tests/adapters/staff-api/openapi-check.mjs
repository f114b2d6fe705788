// Checks real answers of the staff API against its OpenAPI document, in a Node process of its
// own: openapi-backend (through @apidevtools/json-schema-ref-parser) and
// @seriousme/openapi-schema-validator are ES modules, which Jest's CommonJS runtime cannot load
// (Node 20.19+ can). Protocol: JSON lines. The first line on stdin is `{ "definition": … }`; each
// following line is a request `{ "id", "op", … }`, answered by one line `{ "id", … }` on stdout.
//
// op "document": the document against the OpenAPI 3.1 schema (@seriousme) → { valid, errors }.
// op "response" { method, path, status, contentType, headers, body } → { operationId, valid,
//   errors }: the operation the request matched (null when none), and whether the status is
//   documented for it, the content type and required headers are as documented, and the body
//   matches the schema. Objects of response schemas are checked closed (no property the document
//   does not list), so an answer with an undocumented field fails.
// op "request" { method, path, query, body } → { valid, errors }: a request against the operation.
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';

const require = createRequire(import.meta.url);
const { default: OpenAPIBackend } = require('openapi-backend');
const addFormats = require('ajv-formats');
const { Validator } = await import('@seriousme/openapi-schema-validator');

/** A copy of `schema` where every object schema with properties allows no others. */
function closed(schema) {
  if (Array.isArray(schema)) return schema.map(closed);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out = {};
  for (const [k, v] of Object.entries(schema)) out[k] = k === 'examples' ? v : closed(v);
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

const lines = createInterface({ input: process.stdin });
let definition = null;
let api = null;

async function handle(message) {
  if (message.op === 'document') {
    const result = await new Validator().validate(structuredClone(definition));
    return { valid: result.valid, errors: result.errors ?? null };
  }
  const [path, query = ''] = message.path.split('?');
  const request = {
    method: message.method,
    path,
    headers: { 'content-type': 'application/json' },
    query: Object.fromEntries(new URLSearchParams(query)),
    body: message.body,
  };
  const operation = api.matchOperation(request);
  if (!operation) return { operationId: null, valid: false, errors: ['no operation matches'] };
  const { operationId } = operation;
  if (message.op === 'request') {
    const result = api.validateRequest(request, operation);
    return { operationId, valid: result.valid, errors: result.errors ?? null };
  }
  const documented = operation.responses?.[String(message.status)];
  if (!documented) {
    return { operationId, valid: false, errors: [`status ${message.status} is not documented`] };
  }
  const errors = [];
  const types = Object.keys(documented.content ?? {});
  const matches = (t) =>
    t === '*/*' ||
    (t.endsWith('/*')
      ? message.contentType.startsWith(t.slice(0, -1))
      : message.contentType.startsWith(t));
  if (!types.some(matches)) {
    errors.push(`content type ${message.contentType} is not one of ${types.join(', ')}`);
  }
  for (const [name, header] of Object.entries(documented.headers ?? {})) {
    if (header.required && !(name.toLowerCase() in message.headers)) {
      errors.push(`header ${name} is missing`);
    }
  }
  const result = api.validateResponse(message.body, operation, message.status);
  if (!result.valid) errors.push(...result.errors);
  return { operationId, valid: errors.length === 0, errors: errors.length ? errors : null };
}

for await (const line of lines) {
  const message = JSON.parse(line);
  if (!definition) {
    definition = message.definition;
    // openapi-backend checks definitions against OpenAPI 3.0 only: `quick` skips that check
    // (the document is checked as 3.1 by op "document") and dereferences synchronously.
    api = new OpenAPIBackend({
      definition: closed(structuredClone(definition)),
      strict: true,
      quick: true,
      customizeAjv: (ajv) => addFormats(ajv),
    });
    await api.init();
    process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
    continue;
  }
  let answer;
  try {
    answer = await handle(message);
  } catch (err) {
    answer = { valid: false, errors: [`checker failed: ${err?.message ?? err}`] };
  }
  process.stdout.write(`${JSON.stringify({ id: message.id, ...answer })}\n`);
}
