// The desktop app as a library, for end-to-end tests and benchmarks that drive it in process.
export * from './app/desktop-app.ts';
export * from './browser/browser-discovery.ts';
export * from './paths/app-paths.ts';
