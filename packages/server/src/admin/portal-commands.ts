import { normalizePortalAddress, PortalAddressError } from '@portaldesk/protocol';
import { isSupportedCountry } from 'libphonenumber-js';
import type { Portal } from '../portals/portal.ts';
import type { PortalStore } from '../portals/portal-store.ts';
import { type AdminCommand, type OptionValues, optionalString, requiredString } from './admin-command.ts';
import { CommandFailedError, UsageError } from './admin-errors.ts';
import { formatTable } from './table-output.ts';
import { isUniqueViolation } from './unique-violation.ts';

const createPortal: AdminCommand = {
  words: ['portal', 'create'],
  summary: 'Create a portal',
  help: [
    '--domain <host>     host name people type, e.g. acme.example.com (required)',
    '--name <text>       the company name shown in the portal (required)',
    '--country <code>    ISO country for phone numbers written without +, e.g. DE (default US)',
  ],
  options: { domain: { type: 'string' }, name: { type: 'string' }, country: { type: 'string' } },
  required: ['domain', 'name'],
  check(values) {
    portalDomain(requiredString(values, 'domain'), 'domain');
    phoneCountry(optionalString(values, 'country') ?? 'US');
  },
  async run(values, { context, out }) {
    const domain = portalDomain(requiredString(values, 'domain'), 'domain');
    const name = requiredString(values, 'name');
    const country = phoneCountry(optionalString(values, 'country') ?? 'US');
    try {
      const portal = await context.portals.create({ domain, name, defaultCountry: country });
      if (out.wantsJson) out.json(portalJson(portal));
      else
        out.line(
          `Created portal ${portal.id}: ${portal.domain} (${portal.name}, phone country ${portal.defaultCountry})`,
        );
    } catch (error) {
      if (isUniqueViolation(error)) throw new CommandFailedError('PORTAL_EXISTS', `A portal ${domain} already exists`);
      throw error;
    }
  },
};

const listPortals: AdminCommand = {
  words: ['portal', 'list'],
  summary: 'List the portals',
  help: [],
  options: {},
  async run(_values, { context, out }) {
    const portals = await context.portals.list();
    if (out.wantsJson) return out.json(portals.map(portalJson));
    if (portals.length === 0)
      return out.line('No portals yet. Create one with: portaldesk portal create --domain … --name …');
    const rows = portals.map((p) => [String(p.id), p.domain, p.defaultCountry, p.name]);
    for (const line of formatTable(['ID', 'DOMAIN', 'COUNTRY', 'NAME'], rows)) out.line(line);
  },
};

export const portalCommands: AdminCommand[] = [createPortal, listPortals];

/** The portal named by `--portal <domain>`, or a failure that says how to list them. */
/** Checks `--portal` without the database. */
export function checkPortalOption(values: OptionValues): void {
  portalDomain(requiredString(values, 'portal'), 'portal');
}

export async function portalByDomain(portals: PortalStore, input: string): Promise<Portal> {
  const portal = await portals.findByDomain(portalDomain(input, 'portal'));
  if (!portal) {
    throw new CommandFailedError(
      'PORTAL_NOT_FOUND',
      `No portal ${input}. See the portals with: portaldesk portal list`,
    );
  }
  return portal;
}

/** `https://Acme.example.com:8443/` → `acme.example.com`: a portal is found by host name only. */
function portalDomain(input: string, option: string): string {
  try {
    return normalizePortalAddress(input).hostname;
  } catch (error) {
    if (error instanceof PortalAddressError) throw new UsageError(`--${option} ${input}: ${error.message}`);
    throw error;
  }
}

function phoneCountry(input: string): string {
  const code = input.toUpperCase();
  if (!isSupportedCountry(code))
    throw new UsageError(`--country ${input}: not a two-letter country code such as US or DE`);
  return code;
}

function portalJson(p: Portal) {
  return { id: p.id, domain: p.domain, name: p.name, defaultCountry: p.defaultCountry };
}
