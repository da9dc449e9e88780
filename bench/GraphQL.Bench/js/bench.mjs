// graphql-js's side of bench/GraphQL.Bench (run by Program.cs).
//   node bench.mjs introspection-query      prints getIntrospectionQuery() (all options off: the standard query)
//   node bench.mjs operations DOCS_JSON     times each document as Program.cs does ours; prints {"name": {"full": ns, "executeOnly": ns}}
//   node bench.mjs serve PORT               serves the schema with graphql-http's node handler on 127.0.0.1:PORT
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { buildSchema, execute, getIntrospectionQuery, graphql, parse, validate } from 'graphql';
import { createHandler } from 'graphql-http/lib/use/http';

const schema = buildSchema(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));

// The same data as Program.cs's RootValue: 25 authors with 3 books each, 100 objects in all.
const rootValue = {
  hello: 'world',
  version: 3,
  status: 'OK',
  authors: Array.from({ length: 25 }, (_, a) => ({
    id: String(a + 1),
    name: `Author ${a + 1}`,
    books: Array.from({ length: 3 }, (_, b) => ({ id: `${a + 1}-${b + 1}`, title: `Book ${b + 1} of author ${a + 1}`, pages: 100 + b })),
  })),
};

// Runs fn until at least `seconds` have passed (after a warm-up) and returns nanoseconds per call.
async function time(fn, seconds) {
  for (let i = 0; i < 200; i++) await fn();
  let iterations = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(Math.round(seconds * 1e9));
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < 50; i++) await fn();
    iterations += 50;
    elapsed = process.hrtime.bigint() - start;
  }
  return Number(elapsed) / iterations;
}

const [mode, argument] = process.argv.slice(2);
if (mode === 'introspection-query') {
  process.stdout.write(getIntrospectionQuery());
} else if (mode === 'operations') {
  const { seconds, documents } = JSON.parse(readFileSync(argument, 'utf8'));
  const results = {};
  for (const [name, source] of Object.entries(documents)) {
    const document = parse(source);
    if (validate(schema, document).length > 0) throw new Error(`${name} is not valid`);
    const check = await graphql({ schema, source, rootValue });
    if (check.errors) throw new Error(`${name} failed: ${JSON.stringify(check.errors)}`);
    results[name] = {
      full: await time(() => graphql({ schema, source, rootValue }), seconds),
      executeOnly: await time(() => execute({ schema, document, rootValue }), seconds),
    };
  }
  process.stdout.write(JSON.stringify(results));
} else if (mode === 'serve') {
  const handler = createHandler({ schema, rootValue });
  createServer(handler).listen(Number(argument), '127.0.0.1', () => process.stdout.write('listening\n'));
} else {
  throw new Error('usage: node bench.mjs introspection-query | operations DOCS_JSON | serve PORT');
}
