import {
  type NetworkPortal,
  type NetworkProfile,
  type PortalAssertionResult,
  restPositiveInt,
} from '@portaldesk/protocol';
import { z } from 'zod';
import { RestError } from '../../rest/rest-error.ts';
import { PORTAL_ASSERTION_TTL_SECONDS, signPortalAssertion } from '../oauth/network-tokens.ts';
import type { Profile } from '../profiles/profile.ts';
import { type NetworkCaller, type NetworkRestMethod, networkRestMethod } from './network-rest-method.ts';

const PortalIdParams = z.object({ PORTAL_ID: z.string().min(1).max(100) }).passthrough();
const TokenParams = z.object({ TOKEN: z.string().min(1).max(200) }).passthrough();

/** The Network's own REST methods, answered in the Bitrix24 envelope on the Network host. */
export function networkRestMethods(): NetworkRestMethod[] {
  return [
    networkRestMethod({
      name: 'network.profile.get',
      caller: 'profile',
      readOnly: true,
      params: z.object({}).passthrough(),
      handle: async ({ caller }) => {
        const profile = profileOf(caller);
        const result: NetworkProfile = {
          id: profile.publicId,
          displayName: profile.displayName,
          email: profile.email,
          emailVerified: profile.emailVerified,
          phone: profile.phone,
          otpEnabled: profile.otpEnabled,
        };
        return result;
      },
    }),
    networkRestMethod({
      name: 'network.portal.list',
      caller: 'profile',
      scope: 'portals',
      readOnly: true,
      params: z.object({}).passthrough(),
      handle: async ({ caller, network }) => {
        const links = await network.links.listForProfile(profileOf(caller).id);
        const reachable = await Promise.all(links.map((link) => network.reachability.isReachable(link.portalUrl)));
        return links.map(
          (link, i): NetworkPortal => ({
            id: link.clientId,
            name: link.portalName,
            address: link.portalUrl,
            userId: link.portalUserId,
            userName: link.portalUserName,
            reachable: reachable[i] ?? false,
          }),
        );
      },
    }),
    networkRestMethod({
      name: 'network.portal.unlink',
      caller: 'profile',
      scope: 'portals',
      readOnly: false,
      params: PortalIdParams,
      handle: async ({ caller, params, network }) => {
        if (!(await network.links.remove(profileOf(caller).id, params.PORTAL_ID))) throw notLinked();
        return true;
      },
    }),
    networkRestMethod({
      name: 'network.portal.assertion',
      caller: 'profile',
      scope: 'portals',
      readOnly: false,
      params: PortalIdParams,
      handle: async ({ caller, params, network }) => {
        const profile = profileOf(caller);
        const link = await network.links.find(profile.id, params.PORTAL_ID);
        if (!link) throw notLinked();
        const assertion = await signPortalAssertion(network, {
          clientId: link.clientId,
          profile,
          portalUserId: link.portalUserId,
        });
        const result: PortalAssertionResult = {
          assertion,
          address: link.portalUrl,
          expires_in: PORTAL_ASSERTION_TTL_SECONDS,
        };
        return result;
      },
    }),
    networkRestMethod({
      name: 'network.link.accept',
      caller: 'profile',
      scope: 'portals',
      readOnly: false,
      params: TokenParams,
      secretParams: ['TOKEN'],
      handle: async ({ caller, params, network }) => {
        const outcome = await network.invitations.accept(profileOf(caller), params.TOKEN);
        switch (outcome.kind) {
          case 'linked':
            return { PORTAL_ID: outcome.clientId };
          case 'invalid':
            throw new RestError('NOT_FOUND', 'The invitation is unknown, used or expired');
          case 'email-mismatch':
            throw new RestError(
              'ACCESS_DENIED',
              'The invitation was sent to an e-mail address that is not the verified e-mail of this profile',
            );
          case 'account-linked-elsewhere':
            throw new RestError('ACCESS_DENIED', 'That portal account is already linked to another profile');
        }
      },
    }),
    networkRestMethod({
      name: 'network.link.invite',
      caller: 'portal',
      readOnly: false,
      params: z
        .object({
          USER_ID: restPositiveInt,
          USER_NAME: z.string().trim().min(1).max(200),
          EMAIL: z.string().trim().email().max(254),
        })
        .passthrough(),
      handle: async ({ caller, params, network }) => {
        if (caller.kind !== 'portal') throw new RestError('NO_AUTH_FOUND', 'Wrong authorization data');
        // The same answer whether or not a profile has that e-mail: portals learn nothing.
        await network.invitations.invite(caller.client, {
          userId: params.USER_ID,
          userName: params.USER_NAME,
          email: params.EMAIL,
        });
        return true;
      },
    }),
    networkRestMethod({
      name: 'network.email.confirm',
      caller: 'anyone',
      readOnly: false,
      params: TokenParams,
      secretParams: ['TOKEN'],
      handle: async ({ params, network }) => {
        if (!(await network.emailVerification.confirm(params.TOKEN))) {
          throw new RestError('NOT_FOUND', 'The confirmation link is unknown, used or expired');
        }
        return true;
      },
    }),
  ];
}

function profileOf(caller: NetworkCaller): Profile {
  if (caller.kind !== 'profile') throw new RestError('NO_AUTH_FOUND', 'Wrong authorization data');
  return caller.profile;
}

function notLinked(): RestError {
  return new RestError('NOT_FOUND', 'This profile has no account on that portal');
}
