import {
  type QrDesktopEvent,
  type QrDeviceDescription,
  type QrFetch,
  QrSignInClientError,
  QrSignInDesktopClient,
  type QrSignInResult,
  type QrSignInView,
} from '@portaldesk/protocol';
import type { DesktopFetch } from '../portal/desktop-http-client.ts';
import { checkPortal } from '../portal/portal-check.ts';
import { PortalError } from '../portal/portal-errors.ts';
import { qrEndedMessage, qrFailureMessage } from './qr-sign-in-messages.ts';

/** The longest a `qr.status` call waits for something new before answering as things are. */
export const QR_STATUS_WAIT_MS = 20_000;

export interface DesktopQrSignInDependencies {
  fetch: DesktopFetch;
  device: QrDeviceDescription;
  /** The phone approved and the session was redeemed: add the account; resolves when it is open. */
  signedIn(portal: { origin: string; host: string }, result: QrSignInResult): Promise<void>;
  online?: () => boolean;
  /** How often a fresh QR is fetched before the scan; a little under the pointer's 30 s by default. */
  rotateEveryMs?: number;
  log?(message: string, fields?: Record<string, unknown>): void;
}

/**
 * The desktop's side of a QR sign-in, in the main process: the key pair and the secret live in
 * the reference client here and never reach the login window, which sees only the view (the QR's
 * link, the step, a message). One attempt at a time; starting again cancels the last.
 */
export class DesktopQrSignIn {
  private client: QrSignInDesktopClient | undefined;
  private portal: { origin: string; host: string } | undefined;
  private view: QrSignInView = emptyView(0);
  private readonly waiters = new Set<() => void>();
  private generation = 0;

  constructor(private readonly deps: DesktopQrSignInDependencies) {}

  async start(address: string): Promise<QrSignInView> {
    await this.stop();
    const generation = ++this.generation;
    this.update({ ...emptyView(this.view.version), step: 'starting' });
    try {
      const portal = await checkPortal(address, { fetch: this.deps.fetch, online: this.deps.online });
      const client = await QrSignInDesktopClient.start(portal.origin, this.deps.device, this.qrFetch());
      if (generation !== this.generation) {
        await client.cancel().catch(() => undefined);
        return this.view;
      }
      this.client = client;
      this.portal = { origin: portal.origin, host: portal.host };
      this.update({
        step: 'waiting_for_scan',
        host: portal.host,
        qrUrl: client.code.qrUrl,
        expiresAt: client.created.expiresAt,
        checkCodeLength: client.created.checkCodeLength,
        message: null,
      });
      client.subscribe((event) => void this.onEvent(client, generation, event));
      client.listen();
      client.rotateUntilScanned(
        (code) => {
          if (generation === this.generation) this.update({ qrUrl: code.qrUrl });
        },
        ...(this.deps.rotateEveryMs ? [this.deps.rotateEveryMs] : []),
      );
    } catch (error) {
      if (error instanceof PortalError) {
        this.update({ ...emptyView(this.view.version), step: 'idle' });
        throw error;
      }
      this.update({ step: 'error', message: startFailure(error) });
    }
    return this.view;
  }

  /** The view once its version is above `after`, or after {@link QR_STATUS_WAIT_MS} as it is. */
  async status(after: number, waitMs = QR_STATUS_WAIT_MS): Promise<QrSignInView> {
    if (this.view.version > after) return this.view;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, waitMs);
      this.waiters.add(done);
      function done() {
        clearTimeout(timer);
        resolve();
      }
    });
    return this.view;
  }

  async confirm(checkCode: string): Promise<{ accepted: boolean; triesLeft: number }> {
    const client = this.client;
    if (!client || this.view.step !== 'scanned') {
      throw userFacing('QR_NOT_WAITING_FOR_CODE', 'There is no code to check right now.');
    }
    try {
      const answer = await client.confirm(checkCode.replace(/[\s-]/g, ''));
      if (!answer.accepted && answer.triesLeft > 0) {
        this.update({
          message: `That is not the code your phone shows. ${answer.triesLeft} ${answer.triesLeft === 1 ? 'try' : 'tries'} left.`,
        });
      }
      return answer;
    } catch (error) {
      throw userFacing('QR_CONFIRM_FAILED', startFailure(error));
    }
  }

  async cancel(): Promise<void> {
    await this.stop();
    this.update({ ...emptyView(this.view.version), step: 'idle' });
  }

  /** Ends any attempt (cancelled at the server when it was still live) and its event stream. */
  async stop(): Promise<void> {
    this.generation++;
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    if (client.latest === undefined || LIVE.has(client.latest.state)) await client.cancel().catch(() => undefined);
    await client.close();
  }

  private async onEvent(client: QrSignInDesktopClient, generation: number, event: QrDesktopEvent): Promise<void> {
    if (generation !== this.generation) return;
    switch (event.state) {
      case 'waiting_for_scan':
      case 'redeemed':
        return;
      case 'scanned':
        this.update({ step: 'scanned', message: null });
        return;
      case 'waiting_for_approval':
        this.update({ step: 'waiting_for_approval', message: null });
        return;
      case 'approved':
        // A reconnected event stream starts with the state as it is: redeem once.
        if (this.view.step === 'approved' || this.view.step === 'signed-in') return;
        this.update({ step: 'approved', message: null });
        await this.finish(client, generation, event);
        return;
      default:
        this.update({ step: event.state, qrUrl: null, message: qrEndedMessage(event) });
        await client.close();
    }
  }

  /** Opens the sealed redeem code, exchanges it for the session and hands the account over. */
  private async finish(client: QrSignInDesktopClient, generation: number, approved: QrDesktopEvent): Promise<void> {
    const portal = this.portal;
    try {
      const result = await client.redeem(approved);
      if (!portal || generation !== this.generation) return;
      await this.deps.signedIn(portal, result);
      this.update({ step: 'signed-in', qrUrl: null, message: null });
    } catch (error) {
      this.deps.log?.('qr sign-in could not be completed', { code: (error as { code?: string }).code });
      if (generation === this.generation) this.update({ step: 'failed', qrUrl: null, message: qrFailureMessage() });
    } finally {
      await client.close();
    }
  }

  private update(change: Partial<QrSignInView>): void {
    this.view = { ...this.view, ...change, version: this.view.version + 1 };
    for (const wake of this.waiters) wake();
    this.waiters.clear();
  }

  /** The desktop's own HTTP client, in the shape the reference client takes. */
  private qrFetch(): QrFetch {
    return (url, init) => this.deps.fetch(url, init) as unknown as ReturnType<QrFetch>;
  }
}

const LIVE = new Set<QrDesktopEvent['state']>(['waiting_for_scan', 'scanned', 'waiting_for_approval', 'approved']);

function emptyView(version: number): QrSignInView {
  return { version, step: 'idle', host: null, qrUrl: null, expiresAt: null, checkCodeLength: null, message: null };
}

function startFailure(error: unknown): string {
  if (error instanceof QrSignInClientError) {
    if (error.status === 429) return 'Too many tries from this computer. Wait a few minutes and try again.';
    if (error.status === 404) return 'This portal does not offer sign-in by QR code.';
    return 'The portal refused the QR sign-in. Try again.';
  }
  return 'The portal could not be reached. Check the connection and try again.';
}

function userFacing(code: string, message: string) {
  return Object.assign(new Error(message), { code, userFacing: true as const });
}
