import { normalizePortalAddress, type PortalAddress, PortalAddressError } from '@portaldesk/protocol';
import type { DesktopFetch } from './desktop-http-client.ts';
import { hasNetwork } from './network-status.ts';
import { connectionError, PortalError } from './portal-errors.ts';

export interface PortalCheckDependencies {
  fetch: DesktopFetch;
  /** Whether any network is up; asked only after a request failed. */
  online?: () => boolean;
  timeoutMs?: number;
}

/**
 * Makes sure a typed address is a reachable portal before any password goes to it: it must
 * answer the REST API the way a Bitrix24 portal does (`{result, time}`, or `{error,
 * error_description}` such as NO_AUTH_FOUND). An address that redirects is only followed from
 * http to https on the same host; anything else could take the password elsewhere.
 */
export async function checkPortal(address: string, dependencies: PortalCheckDependencies): Promise<PortalAddress> {
  let portal: PortalAddress;
  try {
    portal = normalizePortalAddress(address);
  } catch (error) {
    if (error instanceof PortalAddressError) throw new PortalError('PORTAL_ADDRESS_INVALID', error.message);
    throw error;
  }
  for (let hop = 0; hop < 2; hop++) {
    const response = await request(`${portal.origin}/rest/server.time.json`, portal.host, dependencies);
    if (response.status >= 300 && response.status < 400) {
      const upgraded = httpsUpgrade(portal, response.headers.get('location'));
      await response.body?.cancel();
      if (!upgraded) break;
      portal = upgraded;
      continue;
    }
    const body = await readJson(response);
    if (looksLikeRestAnswer(body) && !isNoPortalAnswer(body)) return portal;
    break;
  }
  throw new PortalError('NOT_A_PORTAL', `${portal.host} is not a Bitrix24 portal. Check the address.`);
}

async function request(url: string, host: string, dependencies: PortalCheckDependencies) {
  try {
    return await dependencies.fetch(url, {
      redirect: 'manual',
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(dependencies.timeoutMs ?? 15_000),
    });
  } catch (error) {
    throw connectionError(error, host, (dependencies.online ?? hasNetwork)());
  }
}

function httpsUpgrade(portal: PortalAddress, location: string | null): PortalAddress | undefined {
  if (!location || !portal.origin.startsWith('http:')) return undefined;
  try {
    const target = new URL(location, portal.origin);
    if (target.protocol !== 'https:' || target.hostname !== portal.hostname) return undefined;
    return normalizePortalAddress(target.origin);
  } catch {
    return undefined;
  }
}

async function readJson(response: { text(): Promise<string> }): Promise<unknown> {
  const text = await response.text().catch(() => '');
  if (text.length > 1_000_000) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function looksLikeRestAnswer(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const answer = body as Record<string, unknown>;
  if ('result' in answer) return typeof answer.time === 'object' && answer.time !== null;
  return typeof answer.error === 'string' && typeof answer.error_description === 'string';
}

/** A multi-portal server answers for host names it does not serve, but that is no portal. */
function isNoPortalAnswer(body: unknown): boolean {
  return (body as { error?: unknown }).error === 'NOT_FOUND';
}
