import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../files/atomic-write.ts';
import {
  assertAccountId,
  type CredentialVault,
  type SecretName,
  VaultError,
  type VaultWarning,
} from './credential-vault.ts';

/*
 * The fallback where no OS keyring answers (a headless machine, a desktop without a Secret
 * Service). Secrets are sealed with AES-256-GCM under a random 256-bit key; the key lives in a
 * different directory from the sealed file, both readable by the user only (0600).
 *
 * What this protects against: the sealed file alone leaking (copied into a backup, a synced
 * data folder, a bug report, another machine) reveals nothing, and a tampered file is refused
 * rather than misread (GCM authenticates it). Nothing is ever written in plain text.
 *
 * What it does NOT protect against: anything running as this OS user, or as root, can read both
 * files and so every secret. A keyring also hands secrets to the same user's programs, but it
 * can lock them with the login password when the session ends; this file cannot. That is why
 * the app shows `warning` to the user whenever this vault is in use.
 */

const FILE_FORMAT = 'portaldesk-vault-1';
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
/** The full GCM tag; fixing its length makes a shortened tag fail instead of being checked in part. */
const TAG_BYTES = 16;

const sealedFileSchema = z.object({
  format: z.literal(FILE_FORMAT),
  nonce: z.string(),
  tag: z.string(),
  data: z.string(),
});

const contentSchema = z.record(z.string(), z.record(z.string(), z.string()));
type Content = z.infer<typeof contentSchema>;

export const FILE_VAULT_WARNING: VaultWarning = {
  code: 'VAULT_NOT_IN_OS_KEYRING',
  message:
    'No system keyring is available, so sign-in secrets are kept in an encrypted file. Anyone who can use your computer account can read them.',
};

export interface EncryptedFileVaultOptions {
  /** The sealed secrets, e.g. in the app's data directory. */
  vaultPath: string;
  /** The key, in another directory, e.g. the app's config directory. */
  keyPath: string;
}

export class EncryptedFileVault implements CredentialVault {
  readonly kind = 'encrypted-file' as const;
  readonly warning = FILE_VAULT_WARNING;
  /** One change at a time, so that two saves cannot lose each other's entries. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: EncryptedFileVaultOptions) {}

  async get(accountId: string, name: SecretName): Promise<string | null> {
    assertAccountId(accountId);
    const content = await this.read();
    return content[accountId]?.[name] ?? null;
  }

  async set(accountId: string, name: SecretName, secret: string): Promise<void> {
    assertAccountId(accountId);
    return this.change((content) => {
      content[accountId] = { ...content[accountId], [name]: secret };
    });
  }

  async removeAccount(accountId: string): Promise<void> {
    assertAccountId(accountId);
    return this.change((content) => {
      delete content[accountId];
    });
  }

  private change(edit: (content: Content) => void): Promise<void> {
    const next = this.queue.then(async () => {
      const content = await this.read();
      edit(content);
      await this.write(content);
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async read(): Promise<Content> {
    let sealedText: string;
    try {
      sealedText = await readFile(this.options.vaultPath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
    const key = await this.key(false);
    try {
      const sealed = sealedFileSchema.parse(JSON.parse(sealedText));
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.nonce, 'base64'), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(Buffer.from(FILE_FORMAT));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      const plain = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
      return contentSchema.parse(JSON.parse(plain.toString('utf8')));
    } catch {
      throw new VaultError('VAULT_UNREADABLE', 'The credentials file is damaged or its key does not match');
    }
  }

  private async write(content: Content): Promise<void> {
    const key = await this.key(true);
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(FILE_FORMAT));
    const data = Buffer.concat([cipher.update(JSON.stringify(content), 'utf8'), cipher.final()]);
    const sealed = {
      format: FILE_FORMAT,
      nonce: nonce.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    };
    await mkdir(dirname(this.options.vaultPath), { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.options.vaultPath, JSON.stringify(sealed), 0o600);
  }

  private async key(createIfMissing: boolean): Promise<Buffer> {
    try {
      const key = await readFile(this.options.keyPath);
      if (key.length !== KEY_BYTES) throw new VaultError('VAULT_UNREADABLE', 'The credentials key is damaged');
      return key;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      if (!createIfMissing) throw new VaultError('VAULT_UNREADABLE', 'The credentials key is missing');
    }
    const key = randomBytes(KEY_BYTES);
    await mkdir(dirname(this.options.keyPath), { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.options.keyPath, key, 0o600);
    await chmod(this.options.keyPath, 0o600);
    return key;
  }
}
