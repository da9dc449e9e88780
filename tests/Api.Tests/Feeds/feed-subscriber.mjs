// The graphql-ws client (on ws) subscribes to the records host's event feed as an integrator would
// (run by tests/Api.Tests/Feeds/FeedHostTests.cs, with the npm packages of tests/conformance/graphql-js).
//   node feed-subscriber.mjs PACKAGES URL TOKEN QUERY COUNT
//     connects with graphql-transport-ws, the bearer token on the upgrade request, subscribes to QUERY,
//     and prints {"events": [the first COUNT next payloads]} once it has them.
import { createRequire } from 'node:module';
import path from 'node:path';

const [packages, url, token, query, count] = process.argv.slice(2);
if (!packages || !url || !token || !query || !count) throw new Error('usage: node feed-subscriber.mjs PACKAGES URL TOKEN QUERY COUNT');
const require = createRequire(path.join(packages, 'package.json'));
const { createClient } = require('graphql-ws');
const WebSocket = require('ws');

class AuthorizedWebSocket extends WebSocket {
  constructor(address, protocols) {
    super(address, protocols, { headers: { Authorization: `Bearer ${token}` } });
  }
}

const client = createClient({ url, webSocketImpl: AuthorizedWebSocket, lazy: true, retryAttempts: 0 });
const events = [];
try {
  await new Promise((resolve, reject) => {
    const unsubscribe = client.subscribe({ query }, {
      next: (value) => {
        events.push(value);
        if (events.length === Number(count)) { unsubscribe(); resolve(); }
      },
      error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
      complete: resolve,
    });
  });
  process.stdout.write(JSON.stringify({ events }));
} finally {
  await client.dispose();
}
