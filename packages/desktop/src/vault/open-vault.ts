import type { CredentialVault } from './credential-vault.ts';
import { EncryptedFileVault, type EncryptedFileVaultOptions } from './encrypted-file-vault.ts';
import { KeyringVault } from './keyring-vault.ts';

export interface OpenVaultOptions extends EncryptedFileVaultOptions {
  service?: string;
}

/** The OS keyring when one answers; otherwise the encrypted file, which carries a warning. */
export async function openVault(options: OpenVaultOptions): Promise<CredentialVault> {
  if (await KeyringVault.isAvailable(options.service)) return new KeyringVault(options.service);
  return new EncryptedFileVault(options);
}
