// graphql-js judges our engine's introspection (run by tests/GraphQL.Tests/Introspection/GraphQLJsConformanceTests.cs).
//   node introspection.mjs query
//     prints graphql-js's getIntrospectionQuery with every option on.
//   node introspection.mjs check SDL_FILE RESULT_FILE
//     builds a client schema from our introspection result, validates it, prints it, and prints graphql-js's own
//     printSchema(buildSchema(sdl)); writes {"errors": [...], "printed": "...", "expected": "..."} as JSON.
import { readFileSync } from 'node:fs';
import { buildClientSchema, buildSchema, getIntrospectionQuery, printSchema, validateSchema } from 'graphql';

const [mode, sdlFile, resultFile] = process.argv.slice(2);

if (mode === 'query') {
  process.stdout.write(getIntrospectionQuery({
    descriptions: true,
    specifiedByUrl: true,
    directiveIsRepeatable: true,
    schemaDescription: true,
    inputValueDeprecation: true,
    oneOf: true,
  }));
} else if (mode === 'check') {
  const sdl = readFileSync(sdlFile, 'utf8');
  const result = JSON.parse(readFileSync(resultFile, 'utf8'));
  if (result.errors) throw new Error('introspection result has errors: ' + JSON.stringify(result.errors));
  const client = buildClientSchema(result.data);
  const errors = validateSchema(client).map((e) => e.message);
  process.stdout.write(JSON.stringify({ errors, printed: printSchema(client), expected: printSchema(buildSchema(sdl)) }));
} else {
  throw new Error('usage: node introspection.mjs query | check SDL_FILE RESULT_FILE');
}
