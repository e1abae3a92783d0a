// Loads the checked-in schema with graphql-js, validates documents against it and, when asked, sends
// one of them to a running gateway. Prints one JSON line per step; exits 1 when the schema does not load.
//   SCHEMA_FILE     the schema in SDL (schema.graphql)
//   DOCUMENTS_FILE  a JSON array of {"name", "query"} to validate
//   RUN             optional: the name of the document to send, with RUN_VARIABLES (JSON) to
//                   GATEWAY_URL (its /graphql address) and API_KEY
import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate, isScalarType, specifiedScalarTypes } from 'graphql';

let schema;
try {
  schema = buildSchema(readFileSync(process.env.SCHEMA_FILE, 'utf8'));
} catch (e) {
  console.error('the schema does not load: ' + e.message);
  process.exit(1);
}
const standard = new Set(specifiedScalarTypes.map((type) => type.name));
const scalars = Object.values(schema.getTypeMap())
  .filter((type) => isScalarType(type) && !standard.has(type.name))
  .map((type) => type.name)
  .sort();
console.log(JSON.stringify({ step: 'schema', query: schema.getQueryType()?.name, scalars }));

const documents = JSON.parse(readFileSync(process.env.DOCUMENTS_FILE, 'utf8'));
for (const { name, query } of documents) {
  let errors;
  try {
    errors = validate(schema, parse(query)).map((error) => error.message);
  } catch (e) {
    errors = [e.message];
  }
  console.log(JSON.stringify({ step: 'validated', name, errors }));
}

if (process.env.RUN) {
  const { query } = documents.find((document) => document.name === process.env.RUN);
  const response = await fetch(process.env.GATEWAY_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': process.env.API_KEY },
    body: JSON.stringify({ query, variables: JSON.parse(process.env.RUN_VARIABLES ?? '{}') }),
  });
  console.log(JSON.stringify({ step: 'ran', name: process.env.RUN, status: response.status, response: await response.json() }));
}
