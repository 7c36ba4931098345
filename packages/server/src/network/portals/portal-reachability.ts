import { localhostFetch } from '../../http-client/localhost-fetch.ts';

const FRESH_MS = 30_000;
const TIMEOUT_MS = 2_000;

/**
 * Whether a portal answers at its address, checked by the Network with one GET of
 * `<address>/rest/server.time` (any HTTP answer below 500 counts as up) and remembered for
 * half a minute, so that listing portals costs at most one check per portal per half minute
 * however many people list them. Checks of one address in flight at once are shared.
 */
export class PortalReachability {
  private readonly known = new Map<string, { reachable: boolean; at: number }>();
  private readonly pending = new Map<string, Promise<boolean>>();

  constructor(private readonly now: () => number = Date.now) {}

  async isReachable(address: string): Promise<boolean> {
    const cached = this.known.get(address);
    if (cached && this.now() - cached.at < FRESH_MS) return cached.reachable;
    let check = this.pending.get(address);
    if (!check) {
      check = probe(address).finally(() => this.pending.delete(address));
      this.pending.set(address, check);
    }
    const reachable = await check;
    this.known.set(address, { reachable, at: this.now() });
    return reachable;
  }
}

async function probe(address: string): Promise<boolean> {
  try {
    const response = await localhostFetch(`${address}/rest/server.time`, {
      signal: AbortSignal.timeout(TIMEOUT_MS),
      redirect: 'manual',
    });
    await response.body?.cancel();
    return response.status < 500;
  } catch {
    return false;
  }
}
