import { readFile } from 'node:fs/promises';
import { accountSummaries } from '../accounts/account-summaries.ts';
import type { SettingsHolder } from '../config/settings-holder.ts';
import type { BackgroundDelivery } from '../delivery/background-delivery.ts';
import type { WindowRouter } from '../windows/window-router.ts';
import { StatusNotifierTray } from './status-notifier-tray.ts';
import type { TrayAction, TrayModel } from './tray-menu.ts';

export interface DesktopTrayOptions {
  settings: SettingsHolder;
  delivery: Pick<BackgroundDelivery, 'connection' | 'doNotDisturb' | 'photoFile'>;
  router: Pick<WindowRouter, 'switchTo' | 'onSecondLaunch' | 'showOwnWindow' | 'showChat'>;
  /** The user chose Quit. */
  onQuitRequested?(): void;
  busAddress?: string;
  log?(message: string, fields?: Record<string, unknown>): void;
}

/**
 * The tray as the app shows it: the accounts with their unread counts, photos and status, and
 * do-not-disturb. It follows the settings itself; the background connections tell it through
 * `refresh` (their counts and states are not settings).
 */
export class DesktopTray {
  /** The accounts' photos as the tray shows them, by account and photo address. */
  private readonly photos = new Map<string, Uint8Array | 'loading'>();
  private tray: StatusNotifierTray | undefined;

  private constructor(private readonly options: DesktopTrayOptions) {}

  /** Shown when the session has a tray host; without one the app runs as before, windows only. */
  static async start(options: DesktopTrayOptions): Promise<DesktopTray> {
    const tray = new DesktopTray(options);
    tray.tray = await StatusNotifierTray.start({
      model: tray.model(),
      onAction: (action) => void tray.onAction(action).catch(() => undefined),
      ...(options.busAddress ? { busAddress: options.busAddress } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
    options.settings.subscribe(() => tray.refresh());
    return tray;
  }

  /** A tray icon is shown: closing the last window can keep the app running there. */
  get shown(): boolean {
    return this.tray !== undefined;
  }

  model(): TrayModel {
    const { settings, delivery } = this.options;
    const accounts = accountSummaries(settings.get(), delivery).map((a) => {
      const photoPng = a.avatarUrl ? this.photo(a.id, a.portalOrigin, a.avatarUrl) : undefined;
      return { ...a, doNotDisturb: delivery.doNotDisturb.silences(a.id), ...(photoPng ? { photoPng } : {}) };
    });
    return { accounts, doNotDisturb: settings.get().doNotDisturb };
  }

  refresh(): void {
    this.tray?.update(this.model());
  }

  close(): void {
    this.tray?.close();
  }

  /** The photo's PNG once fetched; the first ask starts the fetch and redraws the tray when it lands. */
  private photo(accountId: string, origin: string, avatarUrl: string): Uint8Array | undefined {
    const url = new URL(avatarUrl, origin);
    if (url.origin !== origin) return undefined;
    const key = `${accountId}\u241f${url.pathname}`;
    const known = this.photos.get(key);
    if (known) return known === 'loading' ? undefined : known;
    this.photos.set(key, 'loading');
    void this.options.delivery
      .photoFile(accountId, url.pathname)
      .then((path) => (path ? readFile(path) : undefined))
      .then((bytes) => {
        if (!bytes) return void this.photos.delete(key);
        this.photos.set(key, bytes);
        this.refresh();
      })
      .catch(() => this.photos.delete(key));
    return undefined;
  }

  private async onAction(action: TrayAction): Promise<void> {
    const { router } = this.options;
    switch (action.kind) {
      case 'switch':
        await router.switchTo(action.accountId);
        return;
      case 'show':
        await router.onSecondLaunch({ type: 'second-launch', argv: [], cwd: '/' });
        return;
      case 'accounts':
        await router.showOwnWindow('accounts');
        return;
      case 'chats':
        await router.showChat();
        return;
      case 'toggle-do-not-disturb':
        await this.options.settings.update((s) => ({ ...s, doNotDisturb: !s.doNotDisturb }));
        return;
      case 'quit':
        this.options.onQuitRequested?.();
        return;
    }
  }
}
