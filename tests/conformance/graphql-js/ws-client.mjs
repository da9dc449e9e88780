// The graphql-ws client (with ws) subscribes through our WebSocket endpoint
// (run by tests/GraphQL.Tests/WebSocket/GraphQLWsClientTests.cs).
//   node ws-client.mjs URL QUERY
//     connects with the graphql-transport-ws protocol, subscribes to QUERY, and prints
//     {"events": [every next payload], "completed": true} once the server completes the subscription.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, query] = process.argv.slice(2);
if (!url || !query) throw new Error('usage: node ws-client.mjs URL QUERY');

const client = createClient({ url, webSocketImpl: WebSocket, lazy: true, retryAttempts: 0 });
const events = [];
try {
  await new Promise((resolve, reject) => {
    client.subscribe({ query }, {
      next: (value) => events.push(value),
      error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
      complete: resolve,
    });
  });
  process.stdout.write(JSON.stringify({ events, completed: true }));
} finally {
  await client.dispose();
}
