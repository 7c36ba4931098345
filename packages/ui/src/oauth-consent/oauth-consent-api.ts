import {
  type OAuthConsentAction,
  type OAuthConsentDescription,
  OAuthConsentDescriptionSchema,
  OAuthConsentRedirectSchema,
} from '@portaldesk/protocol';

export type ConsentView =
  | { kind: 'ask'; description: OAuthConsentDescription }
  /** Allowed before: straight on to the application. */
  | { kind: 'go'; redirect: string }
  | { kind: 'problem'; message: string };

/** `request`: the authorization request, as the page's own query string carries it. */
export async function describeConsent(request: URLSearchParams): Promise<ConsentView> {
  const json = await postConsent({ ...Object.fromEntries(request), action: 'describe' });
  const description = OAuthConsentDescriptionSchema.safeParse(json);
  if (description.success) return { kind: 'ask', description: description.data };
  const redirect = OAuthConsentRedirectSchema.safeParse(json);
  if (redirect.success) return { kind: 'go', redirect: redirect.data.redirect };
  return { kind: 'problem', message: problemOf(json) };
}

/** Allow or Deny: answers where the browser goes next (the application, with a code or the refusal). */
export async function answerConsent(
  request: URLSearchParams,
  action: Exclude<OAuthConsentAction, 'describe'>,
  sessid: string,
): Promise<string> {
  const json = await postConsent({ ...Object.fromEntries(request), action, sessid });
  const redirect = OAuthConsentRedirectSchema.safeParse(json);
  if (!redirect.success) throw new Error(problemOf(json));
  return redirect.data.redirect;
}

async function postConsent(body: Record<string, string>): Promise<unknown> {
  const response = await fetch('/oauth/authorize/', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  return response.json().catch(() => null);
}

/** The server's words for a refused request; they say what is wrong with it. */
function problemOf(json: unknown): string {
  const description = (json as { error_description?: unknown } | null)?.error_description;
  return typeof description === 'string' ? description : 'The portal could not go on with this request.';
}
