import {
  BRIDGE_BINDING_NAME,
  type BridgeAnswer,
  type BridgeChannel,
  type BridgeChannelOf,
  type BridgeRequest,
  type BridgeResult,
  type BridgeWindow,
  bridgeChannels,
  channelAllowedIn,
} from '@portaldesk/protocol';
import type { Frame, Page } from 'playwright-core';

export interface BridgeCaller {
  page: Page;
}

export type BridgeHandlers = {
  [C in BridgeChannel]: (request: BridgeRequest<C>, caller: BridgeCaller) => Promise<BridgeResult<C>>;
};

/** The handlers one window gets: those of the channels the channel list gives that window. */
export type WindowBridgeHandlers<W extends BridgeWindow> = Pick<BridgeHandlers, BridgeChannelOf<W>>;

/** Errors whose code and message are written for the user may cross the bridge as they are. */
export interface UserFacingError {
  code: string;
  message: string;
  userFacing: true;
}

function isUserFacing(error: unknown): error is UserFacingError {
  return typeof error === 'object' && error !== null && (error as { userFacing?: unknown }).userFacing === true;
}

export interface AttachBridgeOptions<W extends BridgeWindow> {
  /** The origin the desktop's UI is served from; calls from any other document are refused. */
  uiOrigin: string;
  /** Which of the desktop's windows the page is: it may call that window's channels only. */
  window: W;
  handlers: WindowBridgeHandlers<W>;
  /** Told about refused calls and handler failures (never their payloads, which hold passwords). */
  onProblem?(problem: { code: string; channel: string; error?: unknown }): void;
}

/**
 * Gives one of the desktop's own pages its way to the main process. The bridge is a Playwright
 * binding: it exists only in pages it was attached to (never an account's portal window), it is
 * carried over the browser's DevTools pipe (no port, no socket that another local program could
 * reach), and each call is checked to come from the page's main frame while that frame shows the
 * UI's origin, so neither an embedded frame nor a page the window was navigated to can use it.
 */
export async function attachBridge<W extends BridgeWindow>(page: Page, options: AttachBridgeOptions<W>): Promise<void> {
  await page.exposeBinding(BRIDGE_BINDING_NAME, async (source, channel: unknown, request: unknown) =>
    answer(page, source.frame, channel, request, options),
  );
}

async function answer(
  page: Page,
  frame: Frame,
  channel: unknown,
  request: unknown,
  options: AttachBridgeOptions<BridgeWindow>,
): Promise<BridgeAnswer<unknown>> {
  const fail = (code: string, message: string, error?: unknown): BridgeAnswer<unknown> => {
    options.onProblem?.({ code, channel: String(channel).slice(0, 64), error });
    return { ok: false, error: { code, message } };
  };
  if (frame !== page.mainFrame() || originOf(frame.url()) !== options.uiOrigin) {
    return fail('BRIDGE_FORBIDDEN', 'This page may not use the Portaldesk bridge');
  }
  if (typeof channel !== 'string' || !Object.hasOwn(bridgeChannels, channel)) {
    return fail('BRIDGE_UNKNOWN_CHANNEL', 'Unknown bridge channel');
  }
  const name = channel as BridgeChannel;
  // Checked before the request is read: another window's channel does nothing, whatever it is sent.
  const handlers = options.handlers as Partial<Record<BridgeChannel, unknown>>;
  if (!channelAllowedIn(name, options.window) || !Object.hasOwn(handlers, name)) {
    return fail('BRIDGE_WRONG_WINDOW', `The ${options.window} window may not use ${name}`);
  }
  const schemas = bridgeChannels[name];
  const parsed = schemas.request.safeParse(request);
  if (!parsed.success) return fail('BRIDGE_BAD_REQUEST', 'The request does not match the channel');
  try {
    const handler = handlers[name] as (request: unknown, caller: BridgeCaller) => Promise<unknown>;
    const result = schemas.result.parse(await handler(parsed.data, { page }));
    return { ok: true, result };
  } catch (error) {
    if (isUserFacing(error)) return { ok: false, error: { code: error.code, message: error.message } };
    return fail('BRIDGE_INTERNAL', 'Something went wrong in Portaldesk', error);
  }
}

export function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
