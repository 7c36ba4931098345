import { lookup } from 'node:dns';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { Agent } from 'undici';

/** Resolves `localhost` and `*.localhost` to 127.0.0.1 (RFC 6761), anything else as usual. */
export const localhostLookup: LookupFunction = (hostname, options, callback) => {
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) {
    if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
    return;
  }
  lookup(hostname, options, callback);
};

/** An undici dispatcher for `server.fetch` that trusts the test CA and resolves `*.localhost`. */
export function trustingAgent(caCert: string): Agent {
  return new Agent({ connect: { ca: caCert, lookup: localhostLookup } });
}

/**
 * Makes Node's own https client (used by axios, hence by the official SDK) trust the test CA
 * and resolve `*.localhost`, for this test process. Returns a function that undoes it.
 */
export function trustForNodeHttps(caCert: string): () => void {
  const previous = https.globalAgent;
  https.globalAgent = new https.Agent({ ca: caCert, lookup: localhostLookup, keepAlive: false });
  return () => {
    https.globalAgent.destroy();
    https.globalAgent = previous;
  };
}
