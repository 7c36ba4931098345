import { portalsAndUsers } from './0001-portals-and-users.ts';
import { auth } from './0002-auth.ts';
import { webhooksAndOauth } from './0003-webhooks-and-oauth.ts';
import { userEvents } from './0004-user-events.ts';
import { messenger } from './0005-messenger.ts';
import { network } from './0006-network.ts';
import { qrSignIn } from './0007-qr-sign-in.ts';
import { realtimeChannelsAndPresence } from './0008-realtime-channels-and-presence.ts';
import { sharedEventPayloads } from './0009-shared-event-payloads.ts';
import { usersByPortal } from './0010-users-by-portal.ts';
import { secretDigestsBase64url } from './0011-secret-digests-base64url.ts';
import { oauthConsents } from './0012-oauth-consents.ts';
import { chatFiles } from './0013-chat-files.ts';
import { photos } from './0014-photos.ts';
import { messageSearch } from './0015-message-search.ts';
import { messageReactions } from './0016-message-reactions.ts';
import { userStatuses } from './0017-user-statuses.ts';
import { chatPinAndMute } from './0018-chat-pin-and-mute.ts';
import { chatScopedSearch } from './0019-chat-scoped-search.ts';
import type { Migration } from './migration.ts';

export type { Migration } from './migration.ts';

/** Every migration, oldest first. Never edit one that has shipped: add the next. */
export const MIGRATIONS: readonly Migration[] = [
  portalsAndUsers,
  auth,
  webhooksAndOauth,
  userEvents,
  messenger,
  network,
  qrSignIn,
  realtimeChannelsAndPresence,
  sharedEventPayloads,
  usersByPortal,
  secretDigestsBase64url,
  oauthConsents,
  chatFiles,
  photos,
  messageSearch,
  messageReactions,
  userStatuses,
  chatPinAndMute,
  chatScopedSearch,
];
