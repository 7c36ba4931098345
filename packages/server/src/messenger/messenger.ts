import type { Clock } from '../clock/clock.ts';
import { MessageFiles } from '../files/message-files.ts';
import type { EventLog } from '../realtime/event-log.ts';
import { PresenceReader } from '../realtime/presence-reader.ts';
import type { Database } from '../storage/database.ts';
import { ChatDirectory } from './chats/chat-directory.ts';
import { ChatMembership } from './chats/chat-membership.ts';
import { DialogHistory } from './messages/dialog-history.ts';
import { MessageEditor } from './messages/message-editor.ts';
import { DEFAULT_GROUP_COMMIT, type GroupCommitOptions, MessageGroupCommit } from './messages/message-group-commit.ts';
import { MessageParamsUpdates } from './messages/message-params-updates.ts';
import { MessagePoster } from './messages/message-poster.ts';
import { MessageSender } from './messages/message-sender.ts';
import { ReadMarker } from './messages/read-marker.ts';
import { type SendRateLimit, SendRateLimiter } from './messages/send-rate-limiter.ts';
import { Notifier } from './notifications/notifier.ts';
import { MessageReactions } from './reactions/message-reactions.ts';
import { CounterReader } from './recent/counters.ts';
import { RecentList } from './recent/recent-list.ts';
import { MessageSearch } from './search/message-search.ts';
import { LiveUserStatus } from './status/live-user-status.ts';
import { UserStatusBroadcast } from './status/user-status-broadcast.ts';
import { UserStatusStore } from './status/user-status-store.ts';

export interface MessengerDependencies {
  db: Database;
  clock: Clock;
  events: EventLog;
  sendRateLimit?: SendRateLimit;
  /** How sends are grouped into transactions; by default, as suits the database. */
  groupCommit?: GroupCommitOptions;
}

/** The messenger's services, built once and shared by its REST methods. */
export interface Messenger {
  directory: ChatDirectory;
  membership: ChatMembership;
  sender: MessageSender;
  editor: MessageEditor;
  /** Params changed on a message by something other than its author's edit (its files). */
  paramsUpdates: MessageParamsUpdates;
  history: DialogHistory;
  reads: ReadMarker;
  notifier: Notifier;
  recent: RecentList;
  counters: CounterReader;
  /** Who is online and when users were last seen (`im.user.get`). */
  presence: PresenceReader;
  /** The statuses people chose (`im.user.status.*`). */
  statuses: UserStatusStore;
  /** User views with status and presence as they are now, for the methods people read. */
  live: LiveUserStatus;
  /** Tells the portal a person's status or presence changed. */
  statusBroadcast: UserStatusBroadcast;
  /** Bounds how fast one user sends messages and notifications. */
  sendRateLimiter: SendRateLimiter;
  /** Reactions to messages (`im.message.like`, emoji reactions). */
  reactions: MessageReactions;
  /** Full-text search over the messages a user may see. */
  search: MessageSearch;
  events: EventLog;
  db: Database;
}

export function createMessenger({ db, clock, events, sendRateLimit, groupCommit }: MessengerDependencies): Messenger {
  const directory = new ChatDirectory(db);
  const notifier = new Notifier(db, events);
  const poster = new MessagePoster(events, notifier);
  const sendRateLimiter = new SendRateLimiter(sendRateLimit);
  const presence = new PresenceReader(db, clock);
  const statuses = new UserStatusStore(db, clock);
  const live = new LiveUserStatus(statuses, presence);
  const reactions = new MessageReactions(db, events);
  return {
    directory,
    membership: new ChatMembership(db, clock, events, poster),
    sender: new MessageSender(
      db,
      clock,
      new MessageGroupCommit(db, poster, events, groupCommit ?? DEFAULT_GROUP_COMMIT),
      directory,
      sendRateLimiter,
    ),
    editor: new MessageEditor(db, clock, events),
    paramsUpdates: new MessageParamsUpdates(events),
    history: new DialogHistory(db, new MessageFiles(db)),
    reads: new ReadMarker(db, clock, events),
    notifier,
    recent: new RecentList(db),
    counters: new CounterReader(db, notifier),
    presence,
    statuses,
    live,
    statusBroadcast: new UserStatusBroadcast(db, live, events),
    sendRateLimiter,
    reactions,
    search: new MessageSearch(db, reactions),
    events,
    db,
  };
}
