import type { Clock } from '../clock/clock.ts';
import type { FeatureModule } from '../modules/feature-module.ts';
import type { PresenceReader } from '../realtime/presence-reader.ts';
import type { Database } from '../storage/database.ts';
import { userRestMethods } from './rest/user-methods.ts';
import { UserStore } from './user-store.ts';

export interface UsersServices {
  users: UserStore;
}

export function createUsersModule(deps: {
  db: Database;
  clock: Clock;
  presence: Pick<PresenceReader, 'lastSeen'>;
}): FeatureModule<UsersServices> {
  const users = new UserStore(deps.db);
  return {
    name: 'users',
    services: { users },
    methods: userRestMethods({ users, clock: deps.clock, presence: deps.presence }),
  };
}
