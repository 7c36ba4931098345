export * from './realtime/pull-socket-address.ts';
export * from './realtime/realtime-session.ts';
export * from './realtime/realtime-socket.ts';
export * from './realtime/reconnect-backoff.ts';
export * from './realtime/session-clock.ts';
// Node only (the `ws` package); the pages' bundles leave it out, as the package has no side effects.
export * from './realtime/ws-sockets.ts';
export * from './rest/fetch-like.ts';
export * from './rest/rest-authentication.ts';
export * from './rest/rest-call-error.ts';
export * from './rest/rest-client.ts';
export * from './rest/rest-retry-policy.ts';
