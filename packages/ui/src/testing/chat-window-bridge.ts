import { BRIDGE_BINDING_NAME, type BridgeAnswer, CHAT_REST_METHODS, type ChatAccount } from '@portaldesk/protocol';
import { localhostFetch, sendFileByRest, type TestDesktop } from '@portaldesk/server/testing';
import type { Page } from 'playwright-core';

export interface ChatWindowAccount {
  id: string;
  userId: number;
  portalTitle: string;
  portalOrigin: string;
  login: string;
}

/**
 * Plays the desktop's main process for its chat window, as far as the window's screens need: one
 * account, whose portal calls go to the real server with that user's own session (the real
 * process does the same with its background session). The desktop's own tests drive the real one.
 */
export async function attachChatWindowBridge(page: Page, desktop: TestDesktop, account: ChatWindowAccount) {
  const me = await desktop.rest('user.current');
  const { NAME, LAST_NAME } = me.body.result as { NAME: string; LAST_NAME: string };
  const shown: ChatAccount = {
    id: account.id,
    userId: account.userId,
    userDisplayName: `${NAME} ${LAST_NAME}`,
    portalTitle: account.portalTitle,
    portalOrigin: account.portalOrigin,
    avatarUrl: null,
  };
  const answers: Record<string, (request: Record<string, unknown>) => Promise<BridgeAnswer<unknown>>> = {
    'chat.account': async () => ({ ok: true, result: { account: shown } }),
    'accounts.list': async () => ({
      ok: true,
      result: {
        accounts: [
          {
            ...shown,
            login: account.login,
            muted: false,
            notifications: { sound: true, preview: true },
            active: true,
            unread: 0,
            connection: 'online' as const,
          },
        ],
      },
    }),
    'chat.rest': async ({ method, params }) => {
      if (!(CHAT_REST_METHODS as readonly unknown[]).includes(method)) {
        return { ok: false, error: { code: 'BRIDGE_BAD_REQUEST', message: 'Not a chat method' } };
      }
      const reply = await desktop.rest(String(method), params as Record<string, unknown>);
      if (reply.body.error)
        return { ok: false, error: { code: reply.body.error, message: reply.body.error_description ?? '' } };
      return { ok: true, result: { result: reply.body.result } };
    },
    'chat.fileSend': async ({ dialogId, name, contentBase64 }) => {
      await sendFileByRest(desktop, String(dialogId), String(name), Buffer.from(String(contentBase64), 'base64'));
      return { ok: true, result: {} };
    },
    'chat.fileRead': async ({ address }) => {
      const res = await localhostFetch(`${account.portalOrigin}${String(address)}`, {
        headers: desktop.cookieHeader(),
      });
      if (!res.ok) return { ok: false, error: { code: 'NOT_FOUND', message: 'The file is not there' } };
      const contentType = res.headers.get('content-type') ?? 'application/octet-stream';
      return {
        ok: true,
        result: { contentType, contentBase64: Buffer.from(await res.arrayBuffer()).toString('base64') },
      };
    },
  };
  await page.exposeBinding(BRIDGE_BINDING_NAME, async (_source, channel: string, request: Record<string, unknown>) => {
    const answer = answers[channel];
    return answer ? answer(request) : { ok: false, error: { code: 'BRIDGE_UNKNOWN_CHANNEL', message: channel } };
  });
}
