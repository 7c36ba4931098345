declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The path parameters of a route that may be written to the log, each with a check of its
     * value. Every other parameter is logged as its name (`:secret`), so a route that declares
     * nothing logs its pattern alone.
     */
    loggedParams?: Readonly<Record<string, (value: string) => boolean>>;
  }
}

/** What a request log line holds: never the query string, the body, cookies or other headers. */
export interface RequestLogView {
  method: string;
  /** The matched route's pattern with the parameters it allows filled in; absent when no route matched. */
  url?: string;
  host?: unknown;
  remoteAddress?: string;
}

/** The parts of a Fastify request this reads; pino also hands it Node's bare request. */
interface LoggedRequest {
  method: string;
  ip?: string;
  headers?: Record<string, unknown>;
  params?: unknown;
  routeOptions?: {
    url?: string;
    config?: { loggedParams?: Readonly<Record<string, (value: string) => boolean>> };
  };
}

const PARAMETER = /:(\w+)|\*/g;

/**
 * A request as the log sees it. The path is rebuilt from what the router decided (the route and
 * its parsed parameters), never copied from the raw URL: whatever form the URL took (`//rest`,
 * `%31`, a secret where a method should be), a parameter the route does not declare loggable
 * cannot reach the log, and neither can a query string.
 */
export function requestLogView(request: LoggedRequest): RequestLogView {
  const view: RequestLogView = { method: request.method, host: request.headers?.host };
  if (request.ip !== undefined) view.remoteAddress = request.ip;
  const route = request.routeOptions?.url;
  if (route === undefined) return view;
  const params = (request.params ?? {}) as Record<string, unknown>;
  const logged = request.routeOptions?.config?.loggedParams ?? {};
  view.url = route.replace(PARAMETER, (placeholder, name: string | undefined) => {
    const value = params[name ?? '*'];
    const mayLog = logged[name ?? '*'];
    return typeof value === 'string' && mayLog?.(value) ? value : placeholder;
  });
  return view;
}
