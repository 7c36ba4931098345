// For tests and benchmarks: a virtual display, a session bus, recording tray and notification
// services, and the app under test.
export * from './desktop-under-test.ts';
export * from './process-tree.ts';
export * from './recording-notification-service.ts';
export * from './recording-tray-host.ts';
export * from './session-bus.ts';
export * from './xvfb.ts';
