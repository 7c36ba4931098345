import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestCertificates {
  /** PEM of the test certificate authority, for clients to trust. */
  caCert: string;
  /** Files for the server: `TLS_CERT_FILE` / `TLS_KEY_FILE`. */
  certFile: string;
  keyFile: string;
  /** Removes the files. */
  remove(): Promise<void>;
}

/**
 * A throw-away certificate authority and a server certificate it signed, made with the
 * `openssl` command. The certificate names `localhost`, `127.0.0.1`, `*.localhost` and every
 * domain given: Node (like browsers) refuses a wildcard directly under a top-level name, so
 * `*.localhost` alone does not cover `acme.localhost` for Node clients.
 */
export async function createTestCertificates(domains: readonly string[] = []): Promise<TestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'portaldesk-tls-'));
  const file = (name: string) => join(dir, name);
  const names = [...new Set(['localhost', '*.localhost', ...domains])];
  const altNames = [...names.map((n) => `DNS:${n}`), 'IP:127.0.0.1', 'IP:::1'].join(',');
  await writeFile(
    file('server.ext'),
    `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${altNames}\n`,
  );
  const openssl = (...args: string[]) => run('openssl', args, { cwd: dir });
  await openssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=Portaldesk test CA',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  await openssl(
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-subj',
    '/CN=localhost',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
  );
  await openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'server.ext',
    '-out',
    'server.crt',
  );
  return {
    caCert: await readFile(file('ca.crt'), 'utf8'),
    certFile: file('server.crt'),
    keyFile: file('server.key'),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
