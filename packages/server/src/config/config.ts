import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { S3Settings } from '../files/s3-blob-store.ts';

// Defined by `npm run build` (esbuild's `define`); an undeclared global when running from sources.
declare const PORTALDESK_BUILT: boolean;

/** The UI package's build output: beside this package in the repository, or in `ui/` beside the bundle once built. */
const DEFAULT_UI_DIST = fileURLToPath(
  new URL(typeof PORTALDESK_BUILT !== 'undefined' ? './ui/' : '../../../ui/dist/', import.meta.url),
);

/** Every setting of the server, read from the environment. The README lists each one. */
const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  PORTALDESK_DATA: z.string().default('./data'),
  DATABASE_URL: z.string().url().optional(),
  /** The system user the managed cluster runs as when the server runs as root. */
  PORTALDESK_POSTGRES_USER: z
    .string()
    .regex(/^[a-z_][a-z0-9_-]*$/i)
    .default('postgres'),
  REDIS_URL: z.string().url().optional(),
  TLS_CERT_FILE: z.string().optional(),
  TLS_KEY_FILE: z.string().optional(),
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PORTALDESK_DEMO: z.enum(['true', 'false']).default('true'),
  PORTALDESK_UI_DIST: z.string().default(DEFAULT_UI_DIST),
  /** Messages one user may send per period: `<messages>/<seconds>`. */
  SEND_RATE_LIMIT: z
    .string()
    .regex(/^\d+\/\d+$/, 'must look like 60/10 (messages/seconds)')
    .default('60/10'),
  /**
   * Prefixes every Redis key and the realtime channel, so that deployments (or test servers)
   * sharing one Redis never see each other's rate-limit counters or deliveries.
   */
  REDIS_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only')
    .optional(),
  /** Which services this process runs: `portal`, `network`, or both (comma-separated). */
  PORTALDESK_ROLES: z
    .string()
    .default('portal,network')
    .transform((value) => value.split(',').map((role) => role.trim().toLowerCase()))
    .pipe(z.array(z.enum(['portal', 'network'])).min(1)),
  /** The host name at which this process answers as the Network; never a portal's. */
  NETWORK_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+$/i)
    .default('network.localhost'),
  /** The Network's public URL (its OAuth issuer) when it differs from `<scheme>://<domain>:<port>`. */
  NETWORK_ISSUER: z.string().url().optional(),
  /** Largest file a user may send, in bytes (100 MB). */
  PORTALDESK_FILE_SIZE_LIMIT: z.coerce
    .number()
    .int()
    .min(1)
    .default(100 * 1024 * 1024),
  /** Where file bodies live; `<PORTALDESK_DATA>/files` when unset. */
  PORTALDESK_FILES_DIR: z.string().optional(),
  /** An S3-compatible bucket for file bodies instead of the folder (several server processes). */
  PORTALDESK_S3_BUCKET: z.string().min(3).optional(),
  PORTALDESK_S3_ENDPOINT: z.string().url().optional(),
  PORTALDESK_S3_REGION: z.string().default('us-east-1'),
  PORTALDESK_S3_PREFIX: z.string().default('files/'),
});

export type ServerRole = 'portal' | 'network';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** The system user a managed cluster started by root runs as. */
  postgresOsUser: string;
  redisUrl: string | undefined;
  /** Prefix for Redis keys and channels; none when unset. */
  redisNamespace: string | undefined;
  tls: { certFile: string; keyFile: string } | undefined;
  trustProxy: boolean;
  logLevel: string;
  /** Seed the demo portals on first start. */
  demo: boolean;
  /** The built web UI (`npm run build -w @portaldesk/ui`), served at `/` and `/m/`. */
  uiDistDir: string;
  /** How many messages one user may send in how many seconds. */
  sendRateLimit: { messages: number; seconds: number };
  roles: ReadonlySet<ServerRole>;
  network: {
    /** Lower-case host name without port. */
    domain: string;
    /** Fixed public issuer URL; when absent it is derived from the bound port. */
    issuer: string | undefined;
  };
  /** Files sent in chats. */
  files: FileStorageConfig;
}

export interface FileStorageConfig {
  sizeLimit: number;
  /** The bodies' folder (and, with S3, where bodies are received first); derived from `dataDir` when unset. */
  dir: string | undefined;
  s3: S3Settings | undefined;
}

export class ConfigError extends Error {
  readonly code = 'INVALID_CONFIG';
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Invalid setting ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const c = parsed.data;
  if (Boolean(c.TLS_CERT_FILE) !== Boolean(c.TLS_KEY_FILE)) {
    throw new ConfigError('TLS_CERT_FILE and TLS_KEY_FILE must be given together');
  }
  return {
    port: c.PORT,
    host: c.HOST,
    dataDir: c.PORTALDESK_DATA,
    databaseUrl: c.DATABASE_URL,
    postgresOsUser: c.PORTALDESK_POSTGRES_USER,
    redisUrl: c.REDIS_URL,
    redisNamespace: c.REDIS_NAMESPACE,
    tls: c.TLS_CERT_FILE && c.TLS_KEY_FILE ? { certFile: c.TLS_CERT_FILE, keyFile: c.TLS_KEY_FILE } : undefined,
    trustProxy: c.TRUST_PROXY === 'true',
    logLevel: c.LOG_LEVEL,
    demo: c.PORTALDESK_DEMO === 'true',
    uiDistDir: c.PORTALDESK_UI_DIST,
    sendRateLimit: readRate(c.SEND_RATE_LIMIT),
    roles: new Set(c.PORTALDESK_ROLES),
    network: { domain: c.NETWORK_DOMAIN.toLowerCase(), issuer: c.NETWORK_ISSUER?.replace(/\/+$/, '') },
    files: {
      sizeLimit: c.PORTALDESK_FILE_SIZE_LIMIT,
      dir: c.PORTALDESK_FILES_DIR,
      s3: c.PORTALDESK_S3_BUCKET
        ? {
            bucket: c.PORTALDESK_S3_BUCKET,
            endpoint: c.PORTALDESK_S3_ENDPOINT,
            region: c.PORTALDESK_S3_REGION,
            prefix: c.PORTALDESK_S3_PREFIX,
          }
        : undefined,
    },
  };
}

function readRate(value: string): { messages: number; seconds: number } {
  const [messages, seconds] = value.split('/').map(Number);
  if (!messages || !seconds)
    throw new ConfigError('SEND_RATE_LIMIT must allow at least 1 message per at least 1 second');
  return { messages, seconds };
}
