// graphql-http's server audits (the GraphQL-over-HTTP conformance suite) against our engine
// (run by tests/GraphQL.Tests/Http/GraphQLHttpAuditTests.cs).
//   node http-audits.mjs list
//     prints the audits as JSON: [{"id": "22EB", "name": "SHOULD accept ..."}, ...]
//   node http-audits.mjs run URL
//     runs every audit against the GraphQL endpoint at URL and prints
//     [{"id", "name", "status": "ok" | "warn" | "error", "reason"?}, ...]
import { serverAudits } from 'graphql-http';

const [mode, url] = process.argv.slice(2);

if (mode === 'list') {
  const audits = serverAudits({ url: 'http://127.0.0.1/unused' });
  process.stdout.write(JSON.stringify(audits.map(({ id, name }) => ({ id, name }))));
} else if (mode === 'run' && url) {
  const results = await Promise.all(serverAudits({ url }).map(({ fn }) => fn()));
  process.stdout.write(JSON.stringify(results.map(({ id, name, status, reason }) => ({ id, name, status, reason }))));
} else {
  throw new Error('usage: node http-audits.mjs list | run URL');
}
