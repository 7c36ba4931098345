import type { DialogUser } from '../api/messenger-schemas.ts';

/**
 * How a message's author is named on screen: `self` for the reader ("You"), else their name, or
 * "User N" for someone the dialog did not describe.
 */
export function authorName(
  users: Readonly<Record<number, DialogUser>>,
  authorId: number,
  readerId: number,
  self = 'You',
): string {
  if (authorId === readerId) return self;
  return users[authorId]?.name || `User ${authorId}`;
}
