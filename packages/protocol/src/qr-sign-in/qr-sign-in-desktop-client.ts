import { createParser } from 'eventsource-parser';
import { SESSION_COOKIE } from '../auth/desktop-login.ts';
import { createDesktopKeys, type DesktopKeys, openOnDesktop, randomSecret, sha256Base64Url } from './qr-sealing.ts';
import {
  QR_SIGN_IN_BASE_PATH,
  type QrCode,
  QrCodeSchema,
  type QrConfirmResponse,
  QrConfirmResponseSchema,
  type QrCreateRequest,
  type QrCreateResponse,
  QrCreateResponseSchema,
  type QrDesktopEvent,
  QrDesktopEventSchema,
  type QrDesktopState,
  type QrRedeemSuccess,
  QrRedeemSuccessSchema,
  QrSealedPayloadSchema,
} from './qr-sign-in-messages.ts';

/** The part of `fetch` the client needs, so that Node's, undici's or a test's fetch will do. */
export type QrFetch = (
  url: string,
  init?: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal },
) => Promise<QrFetchResponse>;

export interface QrFetchResponse {
  status: number;
  headers: { get(name: string): string | null; getSetCookie?(): string[] };
  json(): Promise<unknown>;
  body: ReadableStream<Uint8Array> | null;
}

/** A refusal from the server (`{error, error_description}`) or a broken answer. */
export class QrSignInClientError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    description: string,
  ) {
    super(`${code}: ${description}`);
  }
}

/** What a finished QR sign-in gives the desktop: the same as a password sign-in. */
export interface QrSignInResult extends QrRedeemSuccess {
  /** The `PHPSESSID` cookie value, as set by the answer (equal to `sessionId`). */
  sessionCookie: string | undefined;
}

const TERMINAL: ReadonlySet<QrDesktopState> = new Set(['redeemed', 'denied', 'expired', 'failed']);

export type QrDeviceDescription = Pick<QrCreateRequest, 'deviceName' | 'os' | 'user_os_mark' | 'user_account'>;

/**
 * The desktop side of QR sign-in, for the desktop app and for tests:
 *
 *   const qr = await QrSignInDesktopClient.start(origin, device);
 *   show(qr.code.qrUrl); qr.listen();                      // rotate() every rotateEveryMs
 *   await qr.next(['scanned']); await qr.confirm(typed);   // the code the phone shows
 *   const approved = await qr.next(['approved']);
 *   const signedIn = await qr.redeem(approved);
 *
 * The private key and the secret stay in this object; only the secret's hash goes out at
 * creation, and the secret itself only as the bearer token of the later calls.
 */
export class QrSignInDesktopClient {
  /** Every event received, in order. */
  readonly seen: QrDesktopEvent[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly listeners = new Set<(event: QrDesktopEvent) => void>();
  private listening: AbortController | undefined;
  private streamEnded: Promise<void> = Promise.resolve();
  private stopRotating: (() => void) | undefined;

  private constructor(
    readonly origin: string,
    readonly created: QrCreateResponse,
    private readonly keys: DesktopKeys,
    private readonly secret: string,
    private readonly fetch: QrFetch,
    /** The QR currently to show. */
    public code: QrCode,
  ) {}

  static async start(
    origin: string,
    device: QrDeviceDescription,
    fetch: QrFetch = globalThis.fetch as unknown as QrFetch,
  ): Promise<QrSignInDesktopClient> {
    const keys = await createDesktopKeys();
    const secret = randomSecret();
    const body: QrCreateRequest = { publicKey: keys.publicKey, secretHash: await sha256Base64Url(secret), ...device };
    const res = await fetch(`${origin}${QR_SIGN_IN_BASE_PATH}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const created = QrCreateResponseSchema.parse(await answer(res));
    return new QrSignInDesktopClient(origin, created, keys, secret, fetch, created);
  }

  get attemptId(): string {
    return this.created.attemptId;
  }

  /** The last event seen, if any. */
  get latest(): QrDesktopEvent | undefined {
    return this.seen.at(-1);
  }

  /** A fresh pointer; the one shown before stops working. Only before anyone has scanned. */
  async rotate(): Promise<QrCode> {
    this.code = QrCodeSchema.parse(await this.call('POST', '/rotate'));
    return this.code;
  }

  /**
   * Fetches a fresh pointer a little before each one expires, until a phone has scanned (or the
   * attempt ended); `onCode` shows the new QR. `everyMs` is for tests.
   */
  rotateUntilScanned(onCode: (code: QrCode) => void, everyMs = Math.max(1_000, this.created.rotateEveryMs - 5_000)) {
    this.stopRotating?.();
    const timer = setInterval(() => {
      if (this.latest && this.latest.state !== 'waiting_for_scan') return stop();
      this.rotate().then(onCode, stop);
    }, everyMs);
    const stop = () => clearInterval(timer);
    this.stopRotating = stop;
  }

  /** The state right now, without the event stream. */
  async state(): Promise<QrDesktopEvent> {
    return QrDesktopEventSchema.parse(await this.call('GET', ''));
  }

  /** Sends the check code the user typed (the one their phone shows). */
  async confirm(checkCode: string): Promise<QrConfirmResponse> {
    return QrConfirmResponseSchema.parse(await this.call('POST', '/confirm', { checkCode }));
  }

  async cancel(): Promise<void> {
    await this.call('POST', '/cancel');
  }

  /** Opens the sealed redeem code with the private key and exchanges it for a session. */
  async redeem(approved: QrDesktopEvent): Promise<QrSignInResult> {
    if (approved.state !== 'approved' || !approved.sealed) throw new Error('Redeem needs the approved event');
    const context = { portal: new URL(this.origin).hostname.toLowerCase(), attemptId: this.attemptId };
    const { redeemCode } = QrSealedPayloadSchema.parse(
      JSON.parse(await openOnDesktop(this.keys.privateKey, context, approved.sealed)),
    );
    const res = await this.request('POST', '/redeem', { redeemCode });
    const success = QrRedeemSuccessSchema.parse(await answer(res));
    const cookies = res.headers.getSetCookie?.() ?? [];
    const cookie = cookies.find((line) => line.startsWith(`${SESSION_COOKIE}=`));
    return { ...success, sessionCookie: cookie?.slice(SESSION_COOKIE.length + 1).split(';')[0] };
  }

  /** Calls `listener` with every event from now on; returns the way to stop. */
  subscribe(listener: (event: QrDesktopEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Follows the server-sent events until the attempt ends or {@link close}; reconnects if cut. */
  listen(): void {
    if (this.listening) return;
    const controller = new AbortController();
    this.listening = controller;
    this.streamEnded = this.follow(controller.signal);
  }

  /** The first event (already seen or still to come) in one of `states`, or of a final state. */
  async next(states: readonly QrDesktopState[], timeoutMs = 10_000): Promise<QrDesktopEvent> {
    this.listen();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.seen.find((e) => states.includes(e.state)) ?? this.seen.find((e) => TERMINAL.has(e.state));
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`No ${states.join('/')} event within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        this.waiters.add(done);
        function done() {
          clearTimeout(timer);
          resolve();
        }
      });
    }
  }

  async close(): Promise<void> {
    this.stopRotating?.();
    this.listening?.abort();
    await this.streamEnded;
  }

  private async follow(signal: AbortSignal): Promise<void> {
    for (let attempt = 0; !signal.aborted && attempt < 5; attempt++) {
      try {
        await this.readStream(signal);
      } catch {
        // Cut off (or aborted): reconnect unless told to stop; the stream restarts with a snapshot.
      }
      if (this.latest && TERMINAL.has(this.latest.state)) return;
      if (!signal.aborted) await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  private async readStream(signal: AbortSignal): Promise<void> {
    const res = await this.fetch(`${this.attemptUrl()}/events`, {
      headers: { authorization: `Bearer ${this.secret}`, accept: 'text/event-stream' },
      signal,
    });
    if (res.status !== 200 || !res.body) {
      await answer(res);
      return;
    }
    const parser = createParser({
      onEvent: (message) => {
        if (message.event === 'state') this.record(QrDesktopEventSchema.parse(JSON.parse(message.data)));
      },
    });
    const decoder = new TextDecoder();
    const reader = res.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        parser.feed(decoder.decode(value, { stream: true }));
        if (this.latest && TERMINAL.has(this.latest.state)) return;
      }
    } finally {
      await reader.cancel().catch(() => undefined);
    }
  }

  private record(event: QrDesktopEvent): void {
    this.seen.push(event);
    for (const listener of this.listeners) listener(event);
    for (const wake of this.waiters) wake();
    this.waiters.clear();
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    return answer(await this.request(method, path, body));
  }

  private request(method: string, path: string, body?: unknown): Promise<QrFetchResponse> {
    return this.fetch(`${this.attemptUrl()}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.secret}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  private attemptUrl(): string {
    return `${this.origin}${QR_SIGN_IN_BASE_PATH}/${this.attemptId}`;
  }
}

async function answer(res: QrFetchResponse): Promise<unknown> {
  const body = (await res.json().catch(() => null)) as { error?: string; error_description?: string } | null;
  if (res.status >= 200 && res.status < 300) return body;
  throw new QrSignInClientError(
    body?.error ?? 'HTTP_ERROR',
    res.status,
    body?.error_description ?? `HTTP ${res.status}`,
  );
}
