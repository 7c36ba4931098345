import { ref } from 'vue';
import { z } from 'zod';
import type { RestCaller } from '../../rest/rest-client.ts';

/** `im.counters.get` as the Bitrix24 docs define it; only the notifications' count is read here. */
const CountersSchema = z.looseObject({
  TYPE: z.looseObject({ NOTIFY: z.coerce.number().int().nonnegative().default(0) }),
});

/** The realtime commands that change the user's notifications; each carries the new `counter`. */
const NOTIFY_COMMANDS = new Set(['notifyAdd', 'notifyRead', 'notifyUnread', 'notifyDelete']);
const NotifyCounterParams = z.looseObject({ counter: z.coerce.number().int().nonnegative() });

/**
 * The signed-in user's unread portal notifications (`im.counters.get` → `TYPE.NOTIFY`), kept
 * live by the `im` commands `notifyAdd`, `notifyRead`, `notifyUnread` and `notifyDelete`, whose
 * params carry the count after the change. `changes` grows with every such command, so that an
 * open notifications list reloads.
 */
export function createNotificationCounter(rest: RestCaller) {
  const unread = ref(0);
  const changes = ref(0);
  /** A command arrived before the first load answered: the load's older count must not win. */
  let heardLive = false;

  async function load(): Promise<void> {
    heardLive = false;
    try {
      const counters = CountersSchema.parse(await rest.call('im.counters.get'));
      if (!heardLive) unread.value = counters.TYPE.NOTIFY;
    } catch {
      // No badge rather than a wrong one; the next realtime command sets it.
    }
  }

  /** True when `command` was a notifications command (counted here). */
  function handlePull(command: string, params: unknown): boolean {
    if (!NOTIFY_COMMANDS.has(command)) return false;
    const parsed = NotifyCounterParams.safeParse(params);
    if (parsed.success) {
      unread.value = parsed.data.counter;
      heardLive = true;
    }
    changes.value++;
    return true;
  }

  return { rest, unread, changes, load, handlePull };
}

export type NotificationCounter = ReturnType<typeof createNotificationCounter>;
