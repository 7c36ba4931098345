import { RestCallError } from '@portaldesk/client';
import { DELETED_MESSAGE_TEXT, type UserStatus } from '@portaldesk/protocol';
import { computed, reactive, ref } from 'vue';
import { GroupChatApi } from './api/group-chat-api.ts';
import type { MessengerApi } from './api/messenger-api.ts';
import type { DialogId, DialogUser, RecentItem } from './api/messenger-schemas.ts';
import { createFileUploads } from './files/file-uploads.ts';
import { createNotificationCounter } from './notifications/notification-counter.ts';
import { PresenceBook } from './presence-book.ts';
import { createReactionStore } from './reactions/reaction-store.ts';
import { pullCommandEffect } from './realtime/pull-command-effect.ts';
import { MessageSearchApi } from './search/message-search-api.ts';
import { createChatPreferences } from './state/chat-preferences.ts';
import { type DialogHistory, emptyHistory, withMessage } from './state/dialog-history.ts';
import { Drafts } from './state/drafts.ts';
import { createHistoryPaging } from './state/history-paging.ts';
import { type LoadState, loadStateFor } from './state/load-state.ts';
import {
  lastChangeable,
  type MessageChange,
  withChangedMessage,
  withChangedParams,
  withChangedPreview,
  withChangedPreviewParams,
} from './state/message-changes.ts';
import { nextReadMark } from './state/read-marks.ts';
import { type OpponentReads, ownLastStatus, readsFromRecent, withOpponentRead } from './state/read-receipts.ts';
import { sortRecent, totalUnread, withIncomingMessage, withReadDialog } from './state/recent-dialogs.ts';
import { withChatAvatar, withJoinedChat, withoutDialog } from './state/recent-membership.ts';
import { TypingAnnouncer, TypingTracker, typingLabel } from './state/typing-tracker.ts';

export type { LoadState } from './state/load-state.ts';

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

  const reactions = createReactionStore(api.rest, readerId);
  /** The message a search result led to, for the history to bring into view (`seq` repeats a jump). */
  const focus = ref<{ messageId: number; seq: number } | null>(null);

  const opponentReads = ref<OpponentReads>({});
  const openHistory = computed(() => (openDialogId.value ? histories.value[openDialogId.value] : undefined));
  const openDialog = computed(() => recent.value.find((item) => item.id === openDialogId.value));
  /** Names of one-to-one dialogs opened before they have a message (a link, a notification). */
  const userTitles = ref<Record<DialogId, string>>({});
  /** Everyone's status and presence as last heard, for the dots beside names and the header. */
  const presence = new PresenceBook(api, readerId, now);
  /** "online", "do not disturb", "last seen …" or "offline" under a one-to-one dialog's title. */
  const openPresence = computed(() => {
    const dialogId = openDialogId.value;
    return dialogId && !dialogId.startsWith('chat') ? presence.textOf(Number(dialogId)) : '';
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
      presence.note(recent.value.flatMap((item) => (item.user ? [item.user] : [])));
      void presence.loadOwn();
      for (const [dialogId, lastId] of Object.entries(readsFromRecent(recent.value, readerId))) {
        opponentReads.value = withOpponentRead(opponentReads.value, dialogId, lastId);
      }
      recentState.value = 'ready';
    } catch (error) {
      recentState.value = loadStateFor(error);
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
      presence.note([await api.user(Number(dialogId))]);
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

  const { loadOlder, loadNewer, jumpTo, showNewest } = createHistoryPaging({
    api,
    openDialogId,
    histories,
    users,
    historyState,
    presence,
    reactions,
    focus,
    open,
  });

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
      const history = histories.value[dialogId] ?? emptyHistory();
      // Read back from an older message, the reader is taken to the newest, where theirs now is.
      if (history.hasNewer) void showNewest();
      else histories.value[dialogId] = withMessage(history, message);
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

  /**
   * Forwards a message into another dialog and opens that dialog, where it shows as the reader's
   * ("Forwarded from …"); false when the portal refused.
   */
  async function forward(messageId: number, dialogId: DialogId): Promise<boolean> {
    sendError.value = '';
    try {
      await api.forward(messageId, dialogId);
    } catch {
      sendError.value = 'Not forwarded. Try again.';
      return false;
    }
    delete histories.value[dialogId];
    await open(dialogId);
    return true;
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
    if (presence.handlePush(command, params)) return;
    if (reactions.handlePull(command, params)) return;
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
      const forwarded = effect.forwardedFrom;
      if (forwarded && !users.value[forwarded.id]) {
        users.value[forwarded.id] = { id: forwarded.id, name: forwarded.name, avatar: '', color: '' };
      }
      typing.stopped(effect.dialogId, effect.message.author_id);
    } else if (effect.kind === 'chatUserAdd') {
      if (effect.joined || recent.value.some((item) => item.id === effect.dialogId))
        joinedChat(effect.dialogId, effect.title, effect.owner);
      bumpMembers(effect.dialogId);
    } else if (effect.kind === 'chatUserLeave') {
      if (effect.gone) leftChat(effect.dialogId);
      bumpMembers(effect.dialogId);
    } else if (effect.kind === 'chatAvatar') {
      recent.value = withChatAvatar(recent.value, effect.dialogId, effect.avatar);
    } else if (effect.kind === 'opponentRead') {
      opponentReads.value = withOpponentRead(opponentReads.value, effect.dialogId, effect.lastId);
    } else if (effect.kind === 'changed') {
      applyChange(effect);
    } else if (effect.kind === 'paramsChanged') {
      const history = histories.value[effect.dialogId];
      if (history) histories.value[effect.dialogId] = withChangedParams(history, effect);
      recent.value = withChangedPreviewParams(recent.value, effect);
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
    presence.tick();
  }

  return {
    readerId,
    notifications,
    chatPreferences,
    groups: new GroupChatApi(api.rest),
    searchApi: new MessageSearchApi(api.rest),
    /** Files on their way into dialogs (paperclip, drop, paste). */
    files: createFileUploads(api.files.send),
    fileSource: api.files.source,
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
    forward,
    lastEditable: () => lastChangeable(openHistory.value, readerId),
    close: () => {
      openDialogId.value = null;
    },
    loadOlder,
    loadNewer,
    jumpTo,
    showNewest,
    focus,
    reactions,
    send,
    seen,
    typed: () => announcer.typed(),
    handlePull,
    tick,
    /** The dot of a person: `online`, `away`, `dnd` or `offline` (asked of the portal when unknown). */
    presenceOf: (userId: number) => presence.kindOf(userId),
    /** The status the reader chose, for their own menu. */
    ownStatus: presence.ownStatus,
    /** The reader's name and avatar, for their own menu. */
    ownUser: presence.own,
    /** Sets the reader's status; false when the portal refused. */
    setOwnStatus: (status: UserStatus) => presence.setOwn(status),
  };
}

export type MessengerStore = ReturnType<typeof createMessengerStore>;
