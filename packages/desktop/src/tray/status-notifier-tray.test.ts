import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type RecordingTrayHost, startRecordingTrayHost } from '../testing/recording-tray-host.ts';
import { type PrivateSessionBus, startSessionBus } from '../testing/session-bus.ts';
import { StatusNotifierTray } from './status-notifier-tray.ts';
import { trayIconPixmap } from './tray-icon.ts';
import type { TrayAction, TrayModel } from './tray-menu.ts';

let bus: PrivateSessionBus;
let host: RecordingTrayHost;
before(async () => {
  bus = await startSessionBus();
  host = await startRecordingTrayHost(bus.address);
});
after(async () => {
  await host?.stop();
  await bus?.stop();
});

const model = (unread: [number, number]): TrayModel => ({
  accounts: [
    { id: 'a1', userDisplayName: 'Ann Lee', portalTitle: 'acme.example.com', unread: unread[0] },
    { id: 'a2', userDisplayName: 'Dana Roe', portalTitle: 'beta.example.com', unread: unread[1] },
  ],
  doNotDisturb: false,
});

test('the tray registers with the panel, shows the total unread and lists each account with its count', async () => {
  const actions: TrayAction[] = [];
  const tray = await StatusNotifierTray.start({
    model: model([0, 0]),
    onAction: (a) => actions.push(a),
    busAddress: bus.address,
  });
  assert.ok(tray, 'a panel is there, so the tray starts');
  try {
    const [service] = host.registered();
    assert.ok(service);
    assert.equal(await host.property(service, 'Title'), 'Portaldesk');
    assert.equal(await host.property(service, 'Status'), 'Active');

    tray.update(model([2, 3]));
    assert.equal(await host.property(service, 'Title'), 'Portaldesk — 5 unread');
    assert.equal(await host.property(service, 'Status'), 'NeedsAttention');
    const icons = (await host.property(service, 'IconPixmap')) as [number, number, Buffer][];
    const icon32 = icons.find(([w]) => w === 32);
    assert.ok(icon32);
    assert.deepEqual(icon32[2], trayIconPixmap(5, 32).argb, 'the icon carries the count');
    assert.notDeepEqual(trayIconPixmap(5, 32).argb, trayIconPixmap(0, 32).argb);

    const menu = await host.menu(service);
    assert.deepEqual(
      menu.map((m) => (m.type === 'separator' ? '---' : m.label)),
      [
        'Ann Lee — acme.example.com (2)',
        'Dana Roe — beta.example.com (3)',
        '---',
        'Show Portaldesk',
        'Chats',
        'Accounts…',
        'Do not disturb',
        'Quit',
      ],
    );
    await host.click(service, menu[1]!.id);
    await host.activate(service);
    await host.click(service, menu.find((m) => m.label === 'Chats')!.id);
    await host.click(service, menu.find((m) => m.label === 'Quit')!.id);
    assert.deepEqual(actions, [
      { kind: 'switch', accountId: 'a2' },
      { kind: 'show' },
      { kind: 'chats' },
      { kind: 'quit' },
    ]);
  } finally {
    tray.close();
  }
});

test('with no panel to host it there is no tray, and no wait', async () => {
  const started = Date.now();
  const tray = await StatusNotifierTray.start({
    model: model([0, 0]),
    onAction: () => undefined,
    busAddress: 'unix:path=/nonexistent/portaldesk-tray-bus',
  });
  assert.equal(tray, undefined);
  assert.ok(Date.now() - started < 5_000);
});
