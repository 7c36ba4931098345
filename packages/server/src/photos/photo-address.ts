/**
 * Where a person's photo or a chat's picture is fetched, on the portal that holds it. The key is
 * random and new with every picture: the address says nothing guessable, and it changes when the
 * picture does (so it may be cached for good). It answers only signed-in people of that portal.
 */
export function userPhotoPath(userId: number, key: string): string {
  return `/photo/user/${userId}/${key}`;
}

export function chatAvatarPath(chatId: number, key: string): string {
  return `/photo/chat/${chatId}/${key}`;
}

/** The address of a picture, or '' when there is none (how Bitrix24 writes "no avatar"). */
export function pictureAddress(path: (id: number, key: string) => string, id: number, key: string | null | undefined) {
  return key ? path(id, key) : '';
}
