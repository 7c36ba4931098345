/**
 * What the vault keeps for an account: the application password the portal issued to this
 * desktop, and the portal's known-device cookie. The user's real password is never kept.
 */
export type SecretName = 'app-password' | 'device-token';

export interface VaultWarning {
  code: 'VAULT_NOT_IN_OS_KEYRING';
  /** Shown to the user as is. */
  message: string;
}

/** Where sign-in secrets live: the OS keyring, or an encrypted file where there is none. */
export interface CredentialVault {
  readonly kind: 'os-keyring' | 'encrypted-file';
  /** Set when secrets are kept less safely than the OS would keep them; the UI shows it. */
  readonly warning: VaultWarning | undefined;
  get(accountId: string, name: SecretName): Promise<string | null>;
  set(accountId: string, name: SecretName, secret: string): Promise<void>;
  /** Every secret of the account, when it is removed from the app. */
  removeAccount(accountId: string): Promise<void>;
}

export class VaultError extends Error {
  constructor(
    readonly code: 'VAULT_UNREADABLE' | 'VAULT_UNAVAILABLE' | 'VAULT_BAD_ACCOUNT_ID',
    message: string,
  ) {
    super(message);
    this.name = 'VaultError';
  }
}

/** Account ids become keyring entry names; keep them to a safe alphabet so `a:b` cannot collide. */
export function assertAccountId(accountId: string): void {
  if (!/^[a-z0-9-]{1,64}$/.test(accountId)) throw new VaultError('VAULT_BAD_ACCOUNT_ID', 'bad account id');
}
