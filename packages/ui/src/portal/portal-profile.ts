import { type Ref, ref, watch } from 'vue';
import { z } from 'zod';
import type { PortalContext } from '../app/portal-context.ts';

/** The signed-in user as `profile` answers: enough for the shell's name and the admin section. */
const ProfileSchema = z.looseObject({
  ID: z.coerce.number().int(),
  ADMIN: z.boolean().default(false),
  NAME: z.string().default(''),
  LAST_NAME: z.string().default(''),
});

export interface PortalProfile {
  userId: number;
  name: string;
  isAdmin: boolean;
}

/**
 * Who is signed in, loaded once per session. Until it arrives (or if it cannot be loaded) the user
 * counts as no administrator: the admin section is only hidden here, the server enforces it.
 */
export function usePortalProfile(context: PortalContext): Ref<PortalProfile | null> {
  const profile = ref<PortalProfile | null>(null);
  watch(
    () => context.session.value,
    async (session) => {
      profile.value = null;
      if (!session) return;
      try {
        const raw = ProfileSchema.parse(await context.rest.call('profile'));
        if (context.session.value !== session) return;
        profile.value = {
          userId: raw.ID,
          name: [raw.NAME, raw.LAST_NAME].filter(Boolean).join(' '),
          isAdmin: raw.ADMIN,
        };
      } catch {
        // Signed out meanwhile, or the portal is unreachable: the shell works without it.
      }
    },
    { immediate: true },
  );
  return profile;
}
