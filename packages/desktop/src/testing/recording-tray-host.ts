import { type MessageBus, type ProxyInterface, sessionBus, type Variant } from '@jellybrick/dbus-next';
import { ConfiguredInterface } from '../dbus/configured-interface.ts';

/** A panel that hosts tray icons, as far as a tray item can tell: `org.kde.StatusNotifierWatcher`. */
class Watcher extends ConfiguredInterface {
  readonly registered: { service: string; sender: string }[] = [];
  constructor() {
    super('org.kde.StatusNotifierWatcher');
  }
  get IsStatusNotifierHostRegistered() {
    return true;
  }
  get ProtocolVersion() {
    return 0;
  }
  get RegisteredStatusNotifierItems() {
    return this.registered.map((r) => r.service);
  }
  RegisterStatusNotifierItem(service: string): void {
    this.registered.push({ service, sender: '' });
  }
  RegisterStatusNotifierHost(_service: string): void {}
}
Watcher.configureMembers({
  properties: {
    IsStatusNotifierHostRegistered: { signature: 'b', access: 'read' },
    ProtocolVersion: { signature: 'i', access: 'read' },
    RegisteredStatusNotifierItems: { signature: 'as', access: 'read' },
  },
  methods: {
    RegisterStatusNotifierItem: { inSignature: 's' },
    RegisterStatusNotifierHost: { inSignature: 's' },
  },
});

export interface TrayMenuEntry {
  id: number;
  label: string;
  type: string;
  toggleState?: number;
  /** The PNG beside the label, as the panel gets it. */
  iconData?: Buffer;
}

/** A test's tray host on a private bus: it takes registrations and reads items as a panel does. */
export interface RecordingTrayHost {
  registered(): string[];
  property(service: string, name: string): Promise<unknown>;
  menu(service: string): Promise<TrayMenuEntry[]>;
  click(service: string, id: number): Promise<void>;
  activate(service: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startRecordingTrayHost(busAddress: string): Promise<RecordingTrayHost> {
  const bus: MessageBus = sessionBus({ busAddress });
  await bus.requestName('org.kde.StatusNotifierWatcher', 0);
  const watcher = new Watcher();
  bus.export('/StatusNotifierWatcher', watcher);
  const iface = async (service: string, path: string, name: string): Promise<ProxyInterface> =>
    (await bus.getProxyObject(service, path)).getInterface(name);
  const call = async (service: string, path: string, name: string, method: string, ...args: unknown[]) => {
    const proxy = (await iface(service, path, name)) as unknown as Record<
      string,
      (...a: unknown[]) => Promise<unknown>
    >;
    return proxy[method]!(...args);
  };
  return {
    registered: () => watcher.RegisteredStatusNotifierItems,
    property: async (service, name) =>
      (
        (await call(
          service,
          '/StatusNotifierItem',
          'org.freedesktop.DBus.Properties',
          'Get',
          'org.kde.StatusNotifierItem',
          name,
        )) as Variant
      ).value,
    menu: async (service) => {
      const menuPath = (await call(
        service,
        '/StatusNotifierItem',
        'org.freedesktop.DBus.Properties',
        'Get',
        'org.kde.StatusNotifierItem',
        'Menu',
      )) as Variant<string>;
      const [, root] = (await call(service, menuPath.value, 'com.canonical.dbusmenu', 'GetLayout', 0, -1, [])) as [
        number,
        [number, Record<string, Variant>, Variant[]],
      ];
      return root[2].map((child) => {
        const [id, props] = child.value as [number, Record<string, Variant>];
        return {
          id,
          label: String(props.label?.value ?? ''),
          type: String(props.type?.value ?? 'standard'),
          ...(props['toggle-state'] ? { toggleState: Number(props['toggle-state'].value) } : {}),
          ...(props['icon-data'] ? { iconData: Buffer.from(props['icon-data'].value as Uint8Array) } : {}),
        };
      });
    },
    click: async (service, id) => {
      const { Variant: V } = await import('@jellybrick/dbus-next');
      await call(service, '/MenuBar', 'com.canonical.dbusmenu', 'Event', id, 'clicked', new V('s', ''), 0);
    },
    activate: async (service) => {
      await call(service, '/StatusNotifierItem', 'org.kde.StatusNotifierItem', 'Activate', 0, 0);
    },
    stop: async () => bus.disconnect(),
  };
}
