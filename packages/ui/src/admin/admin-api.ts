import type {
  AdminAppView,
  AdminAppWithSecret,
  AdminUserCreated,
  AdminUserView,
  AdminWebhookCreated,
  AdminWebhookView,
} from '@portaldesk/protocol';
import { z } from 'zod';
import { parsedCall } from '../rest/parsed-call.ts';
import type { RestClient } from '../rest/rest-client.ts';

const AdminUserSchema: z.ZodType<AdminUserView> = z.object({
  id: z.number().int(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  username: z.string().nullable(),
  isAdmin: z.boolean(),
  active: z.boolean(),
  createdAt: z.string(),
});

const AdminWebhookSchema: z.ZodType<AdminWebhookView> = z.object({
  id: z.number().int(),
  userId: z.number().int(),
  userName: z.string(),
  title: z.string(),
  scopes: z.array(z.string()),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
});

const AdminAppSchema: z.ZodType<AdminAppView> = z.object({
  clientId: z.string(),
  name: z.string(),
  redirectUris: z.array(z.string()),
  scopes: z.array(z.string()),
  createdAt: z.string(),
  secretRotatedAt: z.string().nullable(),
});
const AppWithSecretSchema: z.ZodType<AdminAppWithSecret> = z.object({ app: AdminAppSchema, clientSecret: z.string() });

const UserCreatedSchema: z.ZodType<AdminUserCreated> = z.object({
  user: AdminUserSchema,
  temporaryPassword: z.string().optional(),
});
const UserActivationSchema = z.object({ user: AdminUserSchema, sessionsEnded: z.number() });
const WebhookCreatedSchema: z.ZodType<AdminWebhookCreated> = z.object({
  webhook: AdminWebhookSchema,
  path: z.string(),
});

export interface NewUserForm {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  username: string;
  isAdmin: boolean;
  /** Empty: the server makes a temporary password. */
  password: string;
}

/** Users the administration page lists at most; far more than a team's portal has. */
const MAX_LISTED_USERS = 2000;

/** The portal administration's REST calls (`portaldesk.admin.*`); the server checks the rights. */
export class AdminApi {
  constructor(private readonly rest: RestClient) {}

  async users(): Promise<AdminUserView[]> {
    const users: AdminUserView[] = [];
    for (let start: number | undefined = 0; start !== undefined && users.length < MAX_LISTED_USERS; ) {
      const page: { result: unknown; next?: number } = await this.rest.callWithEnvelope<unknown>(
        'portaldesk.admin.user.list',
        { start },
      );
      const items = z.array(AdminUserSchema).safeParse(page.result);
      if (!items.success) break;
      users.push(...items.data);
      start = page.next;
    }
    return users;
  }

  createUser(form: NewUserForm): Promise<AdminUserCreated> {
    const optional = (value: string) => (value.trim() ? value.trim() : undefined);
    return parsedCall(this.rest, UserCreatedSchema, 'portaldesk.admin.user.add', {
      FIRST_NAME: form.firstName,
      LAST_NAME: optional(form.lastName),
      EMAIL: optional(form.email),
      PHONE: optional(form.phone),
      USERNAME: optional(form.username),
      ADMIN: form.isAdmin ? 'Y' : 'N',
      PASSWORD: form.password === '' ? undefined : form.password,
    });
  }

  async setActive(id: number, active: boolean): Promise<AdminUserView> {
    const method = active ? 'portaldesk.admin.user.activate' : 'portaldesk.admin.user.deactivate';
    return (await parsedCall(this.rest, UserActivationSchema, method, { ID: id })).user;
  }

  webhooks(): Promise<AdminWebhookView[]> {
    return parsedCall(this.rest, z.array(AdminWebhookSchema), 'portaldesk.admin.webhook.list');
  }

  /** Every scope this portal's methods know, for the webhook form. */
  scopes(): Promise<string[]> {
    return parsedCall(this.rest, z.array(z.string()), 'scope', { full: true });
  }

  createWebhook(title: string, scopes: string[]): Promise<AdminWebhookCreated> {
    return parsedCall(this.rest, WebhookCreatedSchema, 'portaldesk.admin.webhook.add', { TITLE: title, SCOPE: scopes });
  }

  async deleteWebhook(id: number): Promise<void> {
    await this.rest.call('portaldesk.admin.webhook.delete', { ID: id });
  }

  apps(): Promise<AdminAppView[]> {
    return parsedCall(this.rest, z.array(AdminAppSchema), 'portaldesk.admin.app.list');
  }

  createApp(form: { name: string; redirectUris: string[]; scopes: string[] }): Promise<AdminAppWithSecret> {
    return parsedCall(this.rest, AppWithSecretSchema, 'portaldesk.admin.app.add', {
      NAME: form.name,
      REDIRECT_URI: form.redirectUris,
      SCOPE: form.scopes,
    });
  }

  rotateAppSecret(clientId: string): Promise<AdminAppWithSecret> {
    return parsedCall(this.rest, AppWithSecretSchema, 'portaldesk.admin.app.secret.rotate', { CLIENT_ID: clientId });
  }

  async deleteApp(clientId: string): Promise<void> {
    await this.rest.call('portaldesk.admin.app.delete', { CLIENT_ID: clientId });
  }
}
