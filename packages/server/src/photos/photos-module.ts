import type { BlobStore } from '../files/blob-store.ts';
import type { ViewerAuthenticators } from '../files/chat-file-routes.ts';
import type { ChatDirectory } from '../messenger/chats/chat-directory.ts';
import type { ChatMembership } from '../messenger/chats/chat-membership.ts';
import type { FeatureModule } from '../modules/feature-module.ts';
import type { Database } from '../storage/database.ts';
import { photoMethods } from './photo-methods.ts';
import { photoRoutes } from './photo-routes.ts';
import { DEFAULT_PHOTO_SETTINGS, Photos } from './photos.ts';

export interface PhotosServices {
  photos: Photos;
}

/** People's photos and chats' pictures, kept among the file bodies. */
export function createPhotosModule(deps: {
  db: Database;
  blobs: BlobStore;
  directory: ChatDirectory;
  membership: ChatMembership;
  authenticators: ViewerAuthenticators;
}): FeatureModule<PhotosServices> {
  const photos = new Photos(deps.db, deps.blobs, deps.directory, deps.membership, DEFAULT_PHOTO_SETTINGS);
  return {
    name: 'photos',
    services: { photos },
    methods: photoMethods(photos),
    routes: [{ role: 'portal', register: (app) => photoRoutes(app, deps.authenticators, photos) }],
  };
}
