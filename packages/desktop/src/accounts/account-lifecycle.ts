import type { AccountSettings } from '../config/settings.ts';
import type { SettingsHolder } from '../config/settings-holder.ts';
import type { BackgroundDelivery } from '../delivery/background-delivery.ts';
import type { CredentialVault } from '../vault/credential-vault.ts';
import type { WindowManager } from '../windows/window-manager.ts';
import type { AccountSignIn, PortalSession } from './account-sign-in.ts';

export interface AccountLifecycleOptions {
  settings: SettingsHolder;
  signIn: AccountSignIn;
  delivery: BackgroundDelivery;
  vault: CredentialVault;
  /** Only for the account's browser data, forgotten at sign-out and removal. */
  windows: Pick<WindowManager, 'removeAccountData'>;
  log?(message: string, fields?: Record<string, unknown>): void;
}

/**
 * An account from its sign-in to its removal: added (password, QR code, Network profile), signed
 * out, removed, its order and notification choices. It changes the settings, the vault and the
 * background connections; whoever shows accounts follows the settings and the connections.
 */
export class AccountLifecycle {
  constructor(private readonly options: AccountLifecycleOptions) {}

  /**
   * Signs an account in with its password (a new one, or one whose application password was
   * revoked), makes it the active account and connects it in the background.
   */
  async addWithPassword(request: Parameters<AccountSignIn['signIn']>[0]) {
    const result = await this.options.signIn.signIn(request);
    if (result.status === 'signed-in') this.reconnect(result.account.id);
    return result;
  }

  /** An account whose session another sign-in opened (QR code, Network profile), added as after a password. */
  async addSignedIn(
    portal: { origin: string; host: string },
    result: Parameters<AccountSignIn['addSignedInAccount']>[1],
  ): Promise<{ account: AccountSettings; session: PortalSession }> {
    const added = await this.options.signIn.addSignedInAccount(portal, result);
    this.reconnect(added.account.id);
    return added;
  }

  /** Signs the account out here: its secrets and browser data go; it stays listed and asks for the password. */
  async signOut(accountId: string): Promise<void> {
    const account = this.account(accountId);
    await this.endPortalSession(accountId);
    this.options.delivery.disconnect(accountId);
    await this.options.vault.removeAccount(accountId);
    await this.options.windows.removeAccountData(accountId, account ? [account.portal.origin] : []);
    this.options.delivery.sync();
  }

  /** Forgets the account entirely: listing, secrets, browser data and its portal session. */
  async remove(accountId: string): Promise<void> {
    const account = this.account(accountId);
    await this.endPortalSession(accountId);
    this.options.delivery.disconnect(accountId);
    await this.options.settings.update((settings) => ({
      ...settings,
      accounts: settings.accounts.filter((a) => a.id !== accountId),
      activeAccountId: settings.activeAccountId === accountId ? null : settings.activeAccountId,
    }));
    await this.options.vault.removeAccount(accountId);
    await this.options.windows.removeAccountData(accountId, account ? [account.portal.origin] : []);
  }

  /** The user's order; `accountIds` must name every account once. */
  async reorder(accountIds: string[]): Promise<void> {
    await this.options.settings.update((settings) => {
      const byId = new Map(settings.accounts.map((a) => [a.id, a]));
      const reordered = accountIds.map((id) => byId.get(id));
      if (new Set(accountIds).size !== byId.size || reordered.some((a) => a === undefined)) {
        throw Object.assign(new Error('The new order must list every account once.'), { code: 'BAD_ACCOUNT_ORDER' });
      }
      return { ...settings, accounts: reordered as typeof settings.accounts };
    });
  }

  async setMuted(accountId: string, muted: boolean): Promise<void> {
    await this.changeAccount(accountId, (a) => ({ ...a, muted }));
  }

  /** The account's notification sound and message preview. */
  async setNotificationPreferences(
    accountId: string,
    change: Partial<AccountSettings['notifications']>,
  ): Promise<void> {
    await this.changeAccount(accountId, (a) => ({ ...a, notifications: { ...a.notifications, ...change } }));
  }

  /** The account's background connection, started when it has none yet. */
  connection(accountId: string) {
    const { delivery } = this.options;
    const existing = delivery.connection(accountId);
    if (existing) return existing;
    delivery.sync();
    const started = delivery.connection(accountId);
    if (!started) throw new Error(`no account ${accountId}`);
    return started;
  }

  /** A fresh sign-in: the old connection (perhaps waiting for a password) makes way for a new one. */
  private reconnect(accountId: string): void {
    this.options.delivery.disconnect(accountId);
    this.options.delivery.sync();
  }

  private account(accountId: string): AccountSettings | undefined {
    return this.options.settings.get().accounts.find((a) => a.id === accountId);
  }

  private async changeAccount(accountId: string, change: (account: AccountSettings) => AccountSettings) {
    await this.options.settings.update((settings) => ({
      ...settings,
      accounts: settings.accounts.map((a) => (a.id === accountId ? change(a) : a)),
    }));
  }

  /** Ends the background connection's portal session (best effort: the portal may be unreachable). */
  private async endPortalSession(accountId: string): Promise<void> {
    const connection = this.options.delivery.connection(accountId);
    if (!connection?.signedIn) return;
    await connection.rest.call('portaldesk.session.logout').catch((error: unknown) => {
      this.options.log?.('portal session not ended', { code: (error as { code?: string }).code });
    });
  }
}
