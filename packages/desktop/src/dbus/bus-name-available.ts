import { Message, type MessageBus } from '@jellybrick/dbus-next';

function busCall(bus: MessageBus, member: string, signature = '', body: unknown[] = []): Promise<Message | null> {
  return bus.call(
    new Message({
      destination: 'org.freedesktop.DBus',
      path: '/org/freedesktop/DBus',
      interface: 'org.freedesktop.DBus',
      member,
      signature,
      body,
    }),
  );
}

/**
 * Whether a service answers under `name`, running or started on demand (activatable).
 *
 * Ask this before `getProxyObject`: for a name nobody provides, dbus-next's `getProxyObject`
 * lets its introspection fail before anything listens to it, and Node reports an unhandled
 * rejection (which fails a test, or a process run with --unhandled-rejections=strict).
 */
export async function busNameAvailable(bus: MessageBus, name: string): Promise<boolean> {
  const owned = await busCall(bus, 'NameHasOwner', 's', [name]);
  if (owned?.body[0] === true) return true;
  const activatable = await busCall(bus, 'ListActivatableNames');
  return Array.isArray(activatable?.body[0]) && (activatable.body[0] as string[]).includes(name);
}
