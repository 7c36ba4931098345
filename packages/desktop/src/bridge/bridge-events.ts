import { BRIDGE_EVENT_TYPE, type BridgeEventName, type BridgeEventPayload, bridgeEvents } from '@portaldesk/protocol';
import type { Page } from 'playwright-core';
import { originOf } from './ui-bridge.ts';

/**
 * Tells one of the desktop's own windows something (the other direction of the bridge): a DOM
 * event on the page, sent only while the page shows the UI's origin, so a window that was
 * navigated elsewhere never receives an account's messages. Best effort: a page that is closing
 * or loading misses it and reloads its state when it starts.
 */
export async function sendBridgeEvent<E extends BridgeEventName>(
  page: Page,
  uiOrigin: string,
  name: E,
  payload: BridgeEventPayload<E>,
): Promise<boolean> {
  if (page.isClosed() || originOf(page.url()) !== uiOrigin) return false;
  const checked = bridgeEvents[name].parse(payload);
  try {
    await page.evaluate(({ type, detail }) => window.dispatchEvent(new CustomEvent(type, { detail })), {
      type: BRIDGE_EVENT_TYPE,
      detail: { name, payload: checked },
    });
    return true;
  } catch {
    return false;
  }
}
