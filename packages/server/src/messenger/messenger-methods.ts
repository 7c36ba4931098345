import type { RestMethod } from '../rest/rest-method.ts';
import { chatMethods } from './chats/chat-methods.ts';
import { messageMethods } from './messages/message-methods.ts';
import type { Messenger } from './messenger.ts';
import { notificationMethods } from './notifications/notification-methods.ts';
import { reactionMethods } from './reactions/reaction-methods.ts';
import { pinAndMuteMethods } from './recent/pin-and-mute-methods.ts';
import { recentMethods } from './recent/recent-methods.ts';
import { searchMethods } from './search/search-methods.ts';
import { userStatusMethods } from './status/user-status-methods.ts';
import { imUserMethods } from './users/im-user-methods.ts';

/** Every `im.*` REST method. */
export function messengerMethods(messenger: Messenger): RestMethod[] {
  return [
    ...messageMethods(messenger),
    ...chatMethods(messenger),
    ...recentMethods(messenger),
    ...pinAndMuteMethods(messenger),
    ...notificationMethods(messenger),
    ...imUserMethods(messenger),
    ...userStatusMethods(messenger),
    ...searchMethods(messenger),
    ...reactionMethods(messenger),
  ];
}
