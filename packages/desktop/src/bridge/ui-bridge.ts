import {
  BRIDGE_BINDING_NAME,
  type BridgeAnswer,
  type BridgeChannel,
  type BridgeRequest,
  type BridgeResult,
  bridgeChannels,
} from '@portaldesk/protocol';
import type { Frame, Page } from 'playwright-core';

export interface BridgeCaller {
  page: Page;
}

export type BridgeHandlers = {
  [C in BridgeChannel]: (request: BridgeRequest<C>, caller: BridgeCaller) => Promise<BridgeResult<C>>;
};

/** Errors whose code and message are written for the user may cross the bridge as they are. */
export interface UserFacingError {
  code: string;
  message: string;
  userFacing: true;
}

function isUserFacing(error: unknown): error is UserFacingError {
  return typeof error === 'object' && error !== null && (error as { userFacing?: unknown }).userFacing === true;
}

export interface AttachBridgeOptions {
  /** The origin the desktop's UI is served from; calls from any other document are refused. */
  uiOrigin: string;
  handlers: BridgeHandlers;
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
export async function attachBridge(page: Page, options: AttachBridgeOptions): Promise<void> {
  await page.exposeBinding(BRIDGE_BINDING_NAME, async (source, channel: unknown, request: unknown) =>
    answer(page, source.frame, channel, request, options),
  );
}

async function answer(
  page: Page,
  frame: Frame,
  channel: unknown,
  request: unknown,
  options: AttachBridgeOptions,
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
  const schemas = bridgeChannels[name];
  const parsed = schemas.request.safeParse(request);
  if (!parsed.success) return fail('BRIDGE_BAD_REQUEST', 'The request does not match the channel');
  try {
    const handler = options.handlers[name] as (request: unknown, caller: BridgeCaller) => Promise<unknown>;
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
