import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import {
  createUserWithPassword,
  type Portal,
  startTestServer,
  TestDesktop,
  type TestServer,
} from '@portaldesk/server/testing';
import type { Browser, Page } from 'playwright-core';
import { DESKTOP_VIEWPORT, launchBrowser, openWatchedPage, type PageWatch, signInWithForm } from './browser.ts';
import { attachChatWindowBridge } from './chat-window-bridge.ts';

export const MESSENGER_PASSWORD = 'correct horse battery staple';

/** A portal with colleagues, a browser, and pages signed in to the messenger; hooks set it up and check it. */
export interface MessengerPortal {
  server: TestServer;
  portal: Portal;
  origin: string;
  browser: Browser;
  /** By user name: the first name in lower case. */
  users: Record<string, { id: number }>;
  /** A fresh browser context signed in as `login`, with the messenger on screen. */
  signedIn(login: string, path?: string, viewport?: typeof DESKTOP_VIEWPORT): Promise<Page>;
  /** The desktop's chat window signed in as `login`, its bridge answered with that user's own session. */
  chatWindow(login: string, viewport?: typeof DESKTOP_VIEWPORT): Promise<Page>;
}

/**
 * Registers `before` and `after` hooks for a browser test file: a real server with the portal
 * `acme.localhost` and `people` (each signs in with their first name in lower case), and a
 * Chromium. After the tests, no page may have logged an error, asked another origin for anything,
 * or failed to load an asset.
 */
export function messengerPortal(
  people: readonly (readonly [firstName: string, lastName: string])[],
  /** More set-up once the people exist (Node 20 does not wait for one root `before` hook before the next). */
  seed?: (fixture: MessengerPortal) => Promise<void>,
): MessengerPortal {
  const watches: PageWatch[] = [];
  const fixture = {
    users: {} as Record<string, { id: number }>,
    async signedIn(login: string, path = '/', viewport = DESKTOP_VIEWPORT): Promise<Page> {
      const watch = await openWatchedPage(fixture.browser, fixture.origin, viewport);
      watches.push(watch);
      await watch.page.goto(`${fixture.origin}${path}`, { waitUntil: 'networkidle' });
      await signInWithForm(watch.page, login, MESSENGER_PASSWORD);
      await watch.page.getByRole('button', { name: 'New message' }).waitFor();
      return watch.page;
    },
    async chatWindow(login: string, viewport = DESKTOP_VIEWPORT): Promise<Page> {
      const desktop = new TestDesktop(fixture.server, 'acme.localhost');
      const signIn = await desktop.signIn(login, MESSENGER_PASSWORD);
      assert.equal(signIn.status, 200);
      const watch = await openWatchedPage(fixture.browser, fixture.origin, viewport);
      watches.push(watch);
      await attachChatWindowBridge(watch.page, desktop, {
        id: `${login}-acme`,
        userId: signIn.body.success ? signIn.body.userId : 0,
        portalTitle: fixture.portal.name,
        portalOrigin: fixture.origin,
        login,
      });
      await watch.page.goto(`${fixture.origin}/desktop/chat.html`, { waitUntil: 'networkidle' });
      await watch.page.getByRole('button', { name: 'New message' }).waitFor();
      return watch.page;
    },
  } as MessengerPortal;

  before(async () => {
    fixture.server = await startTestServer();
    fixture.portal = await fixture.server.context.portals.create({ domain: 'acme.localhost', name: 'Acme' });
    fixture.origin = fixture.server.portalUrl('acme.localhost');
    for (const [firstName, lastName] of people) {
      const username = firstName.toLowerCase();
      fixture.users[username] = await createUserWithPassword(
        fixture.server,
        fixture.portal.id,
        { firstName, lastName, username },
        MESSENGER_PASSWORD,
      );
    }
    await seed?.(fixture);
    fixture.browser = await launchBrowser();
  });
  after(async () => {
    for (const watch of watches) {
      assert.deepEqual(watch.consoleErrors, []);
      assert.deepEqual(watch.foreignRequests, []);
      assert.deepEqual(watch.failedAssets, []);
    }
    await fixture.browser?.close();
    await fixture.server?.close();
  });
  return fixture;
}
