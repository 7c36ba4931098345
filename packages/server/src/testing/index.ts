// For other packages' tests and the benchmarks: test servers and clients, fixtures, and the
// server's models and stores they set up state with. Shipped code never imports this.
export * from '../app/app-context.ts';
export * from '../auth/password-hasher.ts';
export * from '../auth/two-factor/totp.ts';
export * from '../demo/demo-data.ts';
export * from '../http-client/localhost-fetch.ts';
export * from '../messenger/notifications/notification.ts';
export * from '../network/portal-side/register-portal.ts';
export * from '../network/testing/network-fixtures.ts';
export * from '../portals/portal.ts';
export * from '../qr-sign-in/qr-sign-in-rate-limits.ts';
export * from '../rest/auth-context.ts';
export * from '../storage/managed-postgres/free-loopback-port.ts';
export * from '../storage/postgres-database.ts';
export * from '../users/user.ts';
export * from './auth-fixtures.ts';
export * from './chat-file-fixtures.ts';
export * from './fuzz/server-fuzz.ts';
export * from './oauth-fixtures.ts';
export * from './pull-test-client.ts';
export * from './qr-sign-in-fixtures.ts';
export * from './realtime-child-orders.ts';
export * from './realtime-children.ts';
export * from './rest-fixtures.ts';
export * from './restartable-test-server.ts';
export * from './test-desktop.ts';
export * from './test-server.ts';
