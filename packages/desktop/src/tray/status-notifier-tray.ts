import { type MessageBus, Variant } from '@jellybrick/dbus-next';
import { busNameAvailable } from '../dbus/bus-name-available.ts';
import { ConfiguredInterface } from '../dbus/configured-interface.ts';
import { openWatchedSessionBus } from '../dbus/watched-session-bus.ts';
import { trayIconPixmap } from './tray-icon.ts';
import {
  type TrayAction,
  type TrayMenuItem,
  type TrayModel,
  trayIsQuiet,
  trayMenuItems,
  trayTitle,
} from './tray-menu.ts';

const ITEM_PATH = '/StatusNotifierItem';
const MENU_PATH = '/MenuBar';
const WATCHER = 'org.kde.StatusNotifierWatcher';
const REGISTER_TIMEOUT_MS = 5_000;

type MenuLayout = [number, Record<string, Variant>, Variant[]];

/** `org.kde.StatusNotifierItem`: the icon, its title and tooltip; a click shows the windows. */
class StatusNotifierItem extends ConfiguredInterface {
  constructor(private readonly tray: StatusNotifierTray) {
    super('org.kde.StatusNotifierItem');
  }
  get Category() {
    return 'Communications';
  }
  get Id() {
    return 'portaldesk';
  }
  get Title() {
    return trayTitle(this.tray.model);
  }
  get Status() {
    return this.tray.unread() > 0 ? 'NeedsAttention' : 'Active';
  }
  get WindowId() {
    return 0;
  }
  get IconName() {
    return '';
  }
  get IconPixmap() {
    return pixmaps(this.tray.unread(), trayIsQuiet(this.tray.model));
  }
  get AttentionIconPixmap() {
    return pixmaps(this.tray.unread(), trayIsQuiet(this.tray.model));
  }
  get ToolTip() {
    return ['', [], trayTitle(this.tray.model), ''];
  }
  get ItemIsMenu() {
    return false;
  }
  get Menu() {
    return MENU_PATH;
  }
  Activate(_x: number, _y: number): void {
    this.tray.act({ kind: 'show' });
  }
  SecondaryActivate(_x: number, _y: number): void {
    this.tray.act({ kind: 'show' });
  }
  ContextMenu(_x: number, _y: number): void {}
  Scroll(_delta: number, _orientation: string): void {}
  NewIcon(): void {}
  NewTitle(): void {}
  NewToolTip(): void {}
  NewStatus(status: string): string {
    return status;
  }
}
StatusNotifierItem.configureMembers({
  properties: {
    Category: { signature: 's', access: 'read' },
    Id: { signature: 's', access: 'read' },
    Title: { signature: 's', access: 'read' },
    Status: { signature: 's', access: 'read' },
    WindowId: { signature: 'i', access: 'read' },
    IconName: { signature: 's', access: 'read' },
    IconPixmap: { signature: 'a(iiay)', access: 'read' },
    AttentionIconPixmap: { signature: 'a(iiay)', access: 'read' },
    ToolTip: { signature: '(sa(iiay)ss)', access: 'read' },
    ItemIsMenu: { signature: 'b', access: 'read' },
    Menu: { signature: 'o', access: 'read' },
  },
  methods: {
    Activate: { inSignature: 'ii' },
    SecondaryActivate: { inSignature: 'ii' },
    ContextMenu: { inSignature: 'ii' },
    Scroll: { inSignature: 'is' },
  },
  signals: {
    NewIcon: { signature: '' },
    NewTitle: { signature: '' },
    NewToolTip: { signature: '' },
    NewStatus: { signature: 's' },
  },
});

/** `com.canonical.dbusmenu`: the tray's menu, which the panel draws and reports clicks on. */
class DbusMenu extends ConfiguredInterface {
  revision = 1;

  constructor(private readonly tray: StatusNotifierTray) {
    super('com.canonical.dbusmenu');
  }
  get Version() {
    return 3;
  }
  get TextDirection() {
    return 'ltr';
  }
  get Status() {
    return 'normal';
  }
  get IconThemePath() {
    return [];
  }
  GetLayout(parentId: number, _depth: number, _names: string[]): [number, MenuLayout] {
    const items = this.tray.items();
    const children = parentId === 0 ? items.map((item) => new Variant('(ia{sv}av)', layoutOf(item))) : [];
    const root: MenuLayout = [0, { 'children-display': new Variant('s', 'submenu') }, children];
    const item = items.find((i) => i.id === parentId);
    return [this.revision, parentId === 0 || !item ? root : layoutOf(item)];
  }
  GetGroupProperties(ids: number[], _names: string[]): [number, Record<string, Variant>][] {
    return this.tray
      .items()
      .filter((item) => ids.length === 0 || ids.includes(item.id))
      .map((item) => [item.id, propertiesOf(item)]);
  }
  GetProperty(id: number, name: string): Variant {
    const item = this.tray.items().find((i) => i.id === id);
    return item ? (propertiesOf(item)[name] ?? new Variant('s', '')) : new Variant('s', '');
  }
  Event(id: number, eventId: string, _data: Variant, _timestamp: number): void {
    if (eventId !== 'clicked') return;
    const action = this.tray.items().find((i) => i.id === id)?.action;
    if (action) this.tray.act(action);
  }
  EventGroup(events: [number, string, Variant, number][]): number[] {
    for (const [id, eventId, data, timestamp] of events) this.Event(id, eventId, data, timestamp);
    return [];
  }
  AboutToShow(_id: number): boolean {
    return false;
  }
  AboutToShowGroup(_ids: number[]): [number[], number[]] {
    return [[], []];
  }
  LayoutUpdated(revision: number, parent: number): [number, number] {
    return [revision, parent];
  }
  ItemsPropertiesUpdated(): [unknown[], unknown[]] {
    return [[], []];
  }
}
DbusMenu.configureMembers({
  properties: {
    Version: { signature: 'u', access: 'read' },
    TextDirection: { signature: 's', access: 'read' },
    Status: { signature: 's', access: 'read' },
    IconThemePath: { signature: 'as', access: 'read' },
  },
  methods: {
    GetLayout: { inSignature: 'iias', outSignature: 'u(ia{sv}av)' },
    GetGroupProperties: { inSignature: 'aias', outSignature: 'a(ia{sv})' },
    GetProperty: { inSignature: 'is', outSignature: 'v' },
    Event: { inSignature: 'isvu' },
    EventGroup: { inSignature: 'a(isvu)', outSignature: 'ai' },
    AboutToShow: { inSignature: 'i', outSignature: 'b' },
    AboutToShowGroup: { inSignature: 'ai', outSignature: 'aiai' },
  },
  signals: {
    LayoutUpdated: { signature: 'ui' },
    ItemsPropertiesUpdated: { signature: 'a(ia{sv})a(ias)' },
  },
});

function propertiesOf(item: TrayMenuItem): Record<string, Variant> {
  if (item.type === 'separator') return { type: new Variant('s', 'separator') };
  return {
    label: new Variant('s', item.label.replace(/_/g, '__')),
    enabled: new Variant('b', true),
    visible: new Variant('b', true),
    ...(item.toggle !== undefined
      ? { 'toggle-type': new Variant('s', 'checkmark'), 'toggle-state': new Variant('i', item.toggle ? 1 : 0) }
      : {}),
    ...(item.iconPng ? { 'icon-data': new Variant('ay', Buffer.from(item.iconPng)) } : {}),
  };
}

function layoutOf(item: TrayMenuItem): MenuLayout {
  return [item.id, propertiesOf(item), []];
}

function pixmaps(unread: number, quiet: boolean): [number, number, Buffer][] {
  return [16, 32, 64].map((size) => {
    const icon = trayIconPixmap(unread, size, quiet);
    return [icon.width, icon.height, icon.argb];
  });
}

export interface StatusNotifierTrayOptions {
  model: TrayModel;
  onAction(action: TrayAction): void;
  busAddress?: string;
  log?(message: string, fields?: Record<string, unknown>): void;
}

/**
 * The tray icon on Linux: a StatusNotifierItem with a dbusmenu, the protocol KDE, GNOME (with its
 * AppIndicator extension), Xfce, Cinnamon and others show. It is ours over D-Bus, with no helper
 * binary and no GTK or appindicator library. `undefined` when no panel hosts tray icons.
 */
export class StatusNotifierTray {
  private readonly item = new StatusNotifierItem(this);
  private readonly menu = new DbusMenu(this);

  private constructor(
    private readonly bus: MessageBus,
    public model: TrayModel,
    private readonly onAction: (action: TrayAction) => void,
  ) {}

  static async start(options: StatusNotifierTrayOptions): Promise<StatusNotifierTray | undefined> {
    const watched = openWatchedSessionBus({ ...options, purpose: 'tray' });
    if (!watched) return undefined;
    const { bus, failed: busFailed } = watched;
    const tray = new StatusNotifierTray(bus, options.model, options.onAction);
    let timer: NodeJS.Timeout | undefined;
    try {
      const name = `org.kde.StatusNotifierItem-${process.pid}-1`;
      const register = (async () => {
        await bus.requestName(name, 0);
        bus.export(ITEM_PATH, tray.item);
        bus.export(MENU_PATH, tray.menu);
        if (!(await busNameAvailable(bus, WATCHER))) throw new Error('no tray host (StatusNotifierWatcher) on the bus');
        const watcher = await bus.getProxyObject(WATCHER, '/StatusNotifierWatcher');
        const proxy = watcher.getInterface(WATCHER) as unknown as Record<string, (n: string) => Promise<void>>;
        await proxy.RegisterStatusNotifierItem!(name);
      })();
      // When the time limit wins the race, the registration may still fail later (no watcher on
      // the bus); that failure is already answered by "no tray" and must not go unhandled.
      register.catch(() => undefined);
      await Promise.race([
        register,
        busFailed,
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error('no tray host answered')), REGISTER_TIMEOUT_MS);
        }),
      ]);
      return tray;
    } catch (error) {
      options.log?.('no tray', { message: String(error) });
      bus.disconnect();
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  unread(): number {
    return this.model.accounts.reduce((sum, a) => sum + a.unread, 0);
  }

  items(): TrayMenuItem[] {
    return trayMenuItems(this.model);
  }

  /** New counts or accounts: the panel is told to redraw the icon, title and menu. */
  update(model: TrayModel): void {
    const before = JSON.stringify(this.model);
    this.model = model;
    if (JSON.stringify(model) === before) return;
    this.item.NewIcon();
    this.item.NewTitle();
    this.item.NewToolTip();
    this.item.NewStatus(this.item.Status);
    this.menu.revision += 1;
    this.menu.LayoutUpdated(this.menu.revision, 0);
  }

  act(action: TrayAction): void {
    this.onAction(action);
  }

  close(): void {
    this.bus.disconnect();
  }
}
