import { AsyncEntry, findCredentialsAsync } from '@napi-rs/keyring';
import { assertAccountId, type CredentialVault, type SecretName, VaultError } from './credential-vault.ts';

const OPERATION_TIMEOUT_MS = 10_000;

/**
 * Secrets in the OS keyring: Secret Service on Linux, Keychain on macOS, Credential Manager on
 * Windows. One entry per secret, under service `service` and user name `<accountId>:<name>`.
 */
export class KeyringVault implements CredentialVault {
  readonly kind = 'os-keyring' as const;
  readonly warning = undefined;

  constructor(private readonly service = 'portaldesk') {}

  /** Proves a keyring service answers, by writing, reading back and deleting a probe entry. */
  static async isAvailable(service = 'portaldesk'): Promise<boolean> {
    const probe = new AsyncEntry(service, 'probe:availability');
    try {
      const value = `probe-${Date.now()}`;
      await probe.setPassword(value, AbortSignal.timeout(OPERATION_TIMEOUT_MS));
      const back = await probe.getPassword(AbortSignal.timeout(OPERATION_TIMEOUT_MS));
      await probe.deletePassword(AbortSignal.timeout(OPERATION_TIMEOUT_MS));
      return back === value;
    } catch {
      return false;
    }
  }

  async get(accountId: string, name: SecretName): Promise<string | null> {
    return this.run(() => this.entry(accountId, name).getPassword(AbortSignal.timeout(OPERATION_TIMEOUT_MS)));
  }

  async set(accountId: string, name: SecretName, secret: string): Promise<void> {
    await this.run(() => this.entry(accountId, name).setPassword(secret, AbortSignal.timeout(OPERATION_TIMEOUT_MS)));
  }

  async removeAccount(accountId: string): Promise<void> {
    assertAccountId(accountId);
    const all = await this.run(() =>
      findCredentialsAsync(this.service, null, AbortSignal.timeout(OPERATION_TIMEOUT_MS)),
    );
    for (const credential of all) {
      if (!credential.account.startsWith(`${accountId}:`)) continue;
      const entry = new AsyncEntry(this.service, credential.account);
      await this.run(() => entry.deletePassword(AbortSignal.timeout(OPERATION_TIMEOUT_MS)));
    }
  }

  private entry(accountId: string, name: SecretName): AsyncEntry {
    assertAccountId(accountId);
    return new AsyncEntry(this.service, `${accountId}:${name}`);
  }

  /** The native error text can name the entry; it is replaced, never passed on. */
  private async run<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof VaultError) throw error;
      throw new VaultError('VAULT_UNAVAILABLE', 'The system keyring did not answer');
    }
  }
}
