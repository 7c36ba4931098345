import { DELETED_MESSAGE_TEXT } from '@portaldesk/protocol/messenger/messenger-events';
import { computed, reactive, ref } from 'vue';
import { RestCallError } from '../rest/rest-call-error.ts';
import { GroupChatApi } from './api/group-chat-api.ts';
import { HISTORY_PAGE_SIZE, type MessengerApi } from './api/messenger-api.ts';
import type { DialogId, DialogUser, RecentItem } from './api/messenger-schemas.ts';
import { createNotificationCounter } from './notifications/notification-counter.ts';
import { pullCommandEffect } from './realtime/pull-command-effect.ts';
import { createChatPreferences } from './state/chat-preferences.ts';
import {
  type DialogHistory,
  emptyHistory,
  oldestMessageId,
  withMessage,
  withOlderPage,
} from './state/dialog-history.ts';
import { Drafts } from './state/drafts.ts';
import { lastChangeable, type MessageChange, withChangedMessage, withChangedPreview } from './state/message-changes.ts';
import { presenceLabel } from './state/presence-label.ts';
import { nextReadMark } from './state/read-marks.ts';
import { type OpponentReads, ownLastStatus, readsFromRecent, withOpponentRead } from './state/read-receipts.ts';
import { sortRecent, totalUnread, withIncomingMessage, withReadDialog } from './state/recent-dialogs.ts';
import { withJoinedChat, withoutDialog } from './state/recent-membership.ts';
import { TypingAnnouncer, TypingTracker, typingLabel } from './state/typing-tracker.ts';

/** `unavailable`: this portal has no messenger (its `im.*` methods are missing). */
export type LoadState = 'idle' | 'loading' | 'ready' | 'unavailable' | 'error';

/**
 * The messenger's state for one signed-in user, shared by every entry point: the recent list,
 * the open dialog's history, sending, read marks and typing. Realtime commands come in through
 * `handlePull`.
 */
export function createMessengerStore(api: MessengerApi, readerId: number, now: () => number = Date.now) {
  const recent = ref<RecentItem[]>([]);
  const recentState = ref<LoadState>('idle');
  const openDialogId = ref<DialogId | null>(null);
  const histories = ref<Record<DialogId, DialogHistory>>({});
  const users = ref<Record<number, DialogUser>>({});
  const historyState = ref<LoadState>('idle');
  const sendError = ref('');
  const lastMarked: Record<DialogId, number> = {};
  // Reactive, so the chat list can show which chats hold a draft.
  const drafts = reactive(new Drafts());
  const typing = new TypingTracker(now);
  const typingVersion = ref(0);
  /** Bumped for a chat whenever its members change, so an open members panel reloads. */
  const membersVersion = ref<Record<DialogId, number>>({});
  /** The user's unread portal notifications, for the "Notifications" badge. */
  const notifications = createNotificationCounter(api.rest);
  void notifications.load();
  /** The reader's pinned and muted chats. */
  const chatPreferences = createChatPreferences(api.rest, recent, readerId);

  const opponentReads = ref<OpponentReads>({});
  const openHistory = computed(() => (openDialogId.value ? histories.value[openDialogId.value] : undefined));
  const openDialog = computed(() => recent.value.find((item) => item.id === openDialogId.value));
  /** Names of one-to-one dialogs opened before they have a message (a link, a notification). */
  const userTitles = ref<Record<DialogId, string>>({});
  /** When the other person of each one-to-one dialog was last active, read when it is opened. */
  const lastActivity = ref<Record<DialogId, string | false>>({});
  /** "online", "last seen …" or "offline" under a one-to-one dialog's title. */
  const openPresence = computed(() => {
    const dialogId = openDialogId.value;
    if (!dialogId || dialogId.startsWith('chat') || !(dialogId in lastActivity.value)) return '';
    return presenceLabel(lastActivity.value[dialogId], new Date(now()));
  });
  const openTitle = computed(() => {
    const dialogId = openDialogId.value;
    return dialogId ? openDialog.value?.title || userTitles.value[dialogId] || '' : '';
  });
  /** "Sent" or "Seen" under the reader's newest message in the open dialog, when it is the last one. */
  const ownLastMessageStatus = computed(() => {
    const dialogId = openDialogId.value;
    const history = openHistory.value;
    return dialogId && history ? ownLastStatus(history.messages, readerId, opponentReads.value[dialogId]) : null;
  });
  const unreadTotal = computed(() => totalUnread(recent.value));
  /** Whether someone else is typing in a dialog, for its row in the chat list. */
  function someoneTypingIn(dialogId: DialogId): boolean {
    void typingVersion.value;
    return typing.namesIn(dialogId).length > 0;
  }
  const typingText = computed(() => {
    void typingVersion.value;
    return openDialogId.value ? typingLabel(typing.namesIn(openDialogId.value)) : '';
  });
  const announcer = new TypingAnnouncer(now, () => {
    if (openDialogId.value) api.typing(openDialogId.value).catch(() => {});
  });

  async function loadRecent(): Promise<void> {
    recentState.value = 'loading';
    try {
      recent.value = sortRecent((await api.recent()).items);
      for (const [dialogId, lastId] of Object.entries(readsFromRecent(recent.value, readerId))) {
        opponentReads.value = withOpponentRead(opponentReads.value, dialogId, lastId);
      }
      recentState.value = 'ready';
    } catch (error) {
      recentState.value = stateFor(error);
    }
  }

  async function open(dialogId: DialogId): Promise<void> {
    openDialogId.value = dialogId;
    sendError.value = '';
    void nameUnlistedUser(dialogId);
    void readPresence(dialogId);
    if (!histories.value[dialogId]) await loadOlder();
  }

  /** Opens the one-to-one dialog with a colleague picked from the portal's people. */
  function openUserDialog(user: { id: number; name: string }): Promise<void> {
    const dialogId = String(user.id);
    if (user.name) userTitles.value[dialogId] = user.name;
    return open(dialogId);
  }

  async function readPresence(dialogId: DialogId): Promise<void> {
    if (dialogId.startsWith('chat')) return;
    try {
      lastActivity.value[dialogId] = (await api.user(Number(dialogId))).last_activity_date ?? false;
    } catch {
      // Nothing is said rather than something wrong.
    }
  }

  /** A one-to-one dialog not in the recent list is titled with the colleague's name. */
  async function nameUnlistedUser(dialogId: DialogId): Promise<void> {
    if (dialogId.startsWith('chat') || userTitles.value[dialogId]) return;
    if (recent.value.some((item) => item.id === dialogId && item.title)) return;
    try {
      userTitles.value[dialogId] = (await api.user(Number(dialogId))).name;
    } catch {
      // The heading falls back to the dialog id; the history shows why if the dialog is unusable.
    }
  }

  async function loadOlder(): Promise<void> {
    const dialogId = openDialogId.value;
    if (!dialogId || historyState.value === 'loading') return;
    const history = histories.value[dialogId] ?? emptyHistory();
    if (!history.hasOlder) return;
    historyState.value = 'loading';
    try {
      const page = await api.history(dialogId, oldestMessageId(history));
      for (const user of page.users) users.value[user.id] = user;
      histories.value[dialogId] = withOlderPage(history, page.messages, HISTORY_PAGE_SIZE);
      historyState.value = 'ready';
    } catch (error) {
      historyState.value = stateFor(error);
    }
  }

  /** Sends to the open dialog, as an answer to the message `replyId` when given. */
  async function send(text: string, replyId?: number): Promise<boolean> {
    const dialogId = openDialogId.value;
    if (!dialogId) return false;
    sendError.value = '';
    try {
      const id = await api.send(dialogId, text, replyId);
      const message = {
        id,
        chat_id: openHistory.value?.messages[0]?.chat_id ?? 0,
        author_id: readerId,
        date: new Date(now()).toISOString(),
        text,
        ...(replyId ? { params: { REPLY_ID: replyId } } : {}),
      };
      histories.value[dialogId] = withMessage(histories.value[dialogId] ?? emptyHistory(), message);
      recent.value = withIncomingMessage(recent.value, {
        dialogId,
        message,
        counter: openDialog.value?.counter ?? 0,
        title: openTitle.value,
      });
      announcer.reset();
      return true;
    } catch (error) {
      sendError.value =
        error instanceof RestCallError && error.code === 'NETWORK_ERROR'
          ? 'Not sent: the portal cannot be reached.'
          : 'Not sent. Try again.';
      return false;
    }
  }

  /** A message edited or deleted, here or elsewhere: the history and the list follow. */
  function applyChange(change: MessageChange): void {
    const history = histories.value[change.dialogId];
    if (history) histories.value[change.dialogId] = withChangedMessage(history, change);
    recent.value = withChangedPreview(recent.value, change);
  }

  /** Replaces the text of one of the reader's messages in the open dialog; false when refused. */
  function edit(messageId: number, text: string): Promise<boolean> {
    return changeOwnMessage(
      () => api.edit(messageId, text),
      { messageId, text, params: { IS_EDITED: 'Y' } },
      'Not saved.',
    );
  }

  /** Deletes one of the reader's messages in the open dialog; the server's event fills in the rest. */
  function remove(messageId: number): Promise<boolean> {
    const change = { messageId, text: DELETED_MESSAGE_TEXT, params: { IS_DELETED: 'Y' } };
    return changeOwnMessage(() => api.remove(messageId), change, 'Not deleted.');
  }

  /** Asks the portal for the change, then shows it at once; on refusal, says so under the composer. */
  async function changeOwnMessage(
    call: () => Promise<void>,
    change: Omit<MessageChange, 'dialogId'>,
    failure: string,
  ): Promise<boolean> {
    const dialogId = openDialogId.value;
    if (!dialogId) return false;
    sendError.value = '';
    try {
      await call();
      applyChange({ dialogId, ...change });
      return true;
    } catch {
      sendError.value = `${failure} Try again.`;
      return false;
    }
  }

  /** The reader has the message with this id on screen. */
  async function seen(lastVisibleId: number): Promise<void> {
    const dialogId = openDialogId.value;
    const history = openHistory.value;
    if (!dialogId || !history) return;
    const mark = nextReadMark(history.messages, lastVisibleId, lastMarked[dialogId] ?? 0, readerId);
    if (mark === null) return;
    lastMarked[dialogId] = mark;
    try {
      const { counter } = await api.markRead(dialogId, mark);
      recent.value = withReadDialog(recent.value, dialogId, counter);
    } catch {
      lastMarked[dialogId] = 0;
    }
  }

  function handlePull(command: string, params: unknown): void {
    if (notifications.handlePull(command, params) || chatPreferences.handlePull(command, params)) return;
    const effect = pullCommandEffect(command, params, readerId);
    if (!effect) return;
    if (effect.kind === 'message') {
      const history = histories.value[effect.dialogId];
      if (history) histories.value[effect.dialogId] = withMessage(history, effect.message);
      recent.value = withIncomingMessage(recent.value, effect);
      const authorId = effect.message.author_id;
      if (effect.authorName && !users.value[authorId]) {
        users.value[authorId] = { id: authorId, name: effect.authorName, avatar: '', color: '' };
      }
      typing.stopped(effect.dialogId, effect.message.author_id);
    } else if (effect.kind === 'chatUserAdd') {
      if (effect.joined || recent.value.some((item) => item.id === effect.dialogId))
        joinedChat(effect.dialogId, effect.title, effect.owner);
      bumpMembers(effect.dialogId);
    } else if (effect.kind === 'chatUserLeave') {
      if (effect.gone) leftChat(effect.dialogId);
      bumpMembers(effect.dialogId);
    } else if (effect.kind === 'opponentRead') {
      opponentReads.value = withOpponentRead(opponentReads.value, effect.dialogId, effect.lastId);
    } else if (effect.kind === 'changed') {
      applyChange(effect);
    } else if (effect.kind === 'read') {
      recent.value = withReadDialog(recent.value, effect.dialogId, effect.counter);
    } else {
      typing.started(effect.dialogId, effect.userId, effect.name);
    }
    typingVersion.value++;
  }

  /** The reader is in this group chat now: it is listed (and opened, when `open` is set). */
  function joinedChat(dialogId: DialogId, title: string, owner: number, openIt = false): void {
    recent.value = withJoinedChat(recent.value, dialogId, { title, owner, date: new Date(now()).toISOString() });
    if (openIt) void open(dialogId);
  }

  /** The reader is out of this chat: it leaves the list and, when open, the screen. */
  function leftChat(dialogId: DialogId): void {
    recent.value = withoutDialog(recent.value, dialogId);
    delete histories.value[dialogId];
    if (openDialogId.value === dialogId) openDialogId.value = null;
  }

  function bumpMembers(dialogId: DialogId): void {
    membersVersion.value[dialogId] = (membersVersion.value[dialogId] ?? 0) + 1;
  }

  /** Typing signals expire by time; the screen calls this every few seconds to forget them. */
  function tick(): void {
    typingVersion.value++;
  }

  return {
    readerId,
    notifications,
    chatPreferences,
    groups: new GroupChatApi(api.rest),
    membersVersion,
    joinedChat,
    leftChat,
    recent,
    recentState,
    openDialogId,
    openDialog,
    openTitle,
    openPresence,
    openHistory,
    ownLastMessageStatus,
    historyState,
    users,
    unreadTotal,
    typingText,
    someoneTypingIn,
    sendError,
    drafts,
    loadRecent,
    open,
    openUserDialog,
    edit,
    remove,
    lastEditable: () => lastChangeable(openHistory.value, readerId),
    close: () => {
      openDialogId.value = null;
    },
    loadOlder,
    send,
    seen,
    typed: () => announcer.typed(),
    handlePull,
    tick,
  };
}

export type MessengerStore = ReturnType<typeof createMessengerStore>;

function stateFor(error: unknown): LoadState {
  return error instanceof RestCallError && error.code === 'ERROR_METHOD_NOT_FOUND' ? 'unavailable' : 'error';
}
