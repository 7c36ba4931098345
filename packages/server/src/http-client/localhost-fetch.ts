import { lookup } from 'node:dns';
import type { Agent, RequestInit, Response } from 'undici';

/**
 * `*.localhost` is loopback by RFC 6761, but the system resolver need not know that; our own
 * clients resolve it themselves so that `acme.localhost:3000` reaches this machine.
 */
function localhostAgent(AgentClass: typeof Agent): Agent {
  return new AgentClass({
    connect: {
      lookup(hostname, options, callback) {
        if (hostname === 'localhost' || hostname.endsWith('.localhost')) {
          if ((options as { all?: boolean }).all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
          else (callback as (e: null, a: string, f: number) => void)(null, '127.0.0.1', 4);
          return;
        }
        lookup(hostname, options, callback);
      },
    },
  });
}

/**
 * undici (a hundred modules) is loaded on the first request this server makes to another
 * (the Network and its portals), not at every start.
 */
let client: Promise<{ fetch: typeof import('undici').fetch; agent: Agent }> | undefined;

export async function localhostFetch(url: string, init: RequestInit = {}): Promise<Response> {
  client ??= import('undici').then(
    ({ Agent, fetch }) => ({ fetch, agent: localhostAgent(Agent) }),
    (error: unknown) => {
      client = undefined;
      throw error;
    },
  );
  const { fetch, agent } = await client;
  return fetch(url, { ...init, dispatcher: init.dispatcher ?? agent });
}
