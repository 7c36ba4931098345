import { lookup } from 'node:dns';
import { Agent, fetch, type RequestInit, type Response } from 'undici';

/**
 * `*.localhost` is loopback by RFC 6761, but the system resolver need not know that; our own
 * clients resolve it themselves so that `acme.localhost:3000` reaches this machine.
 */
export const localhostAgent = new Agent({
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

export function localhostFetch(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, dispatcher: init.dispatcher ?? localhostAgent });
}
