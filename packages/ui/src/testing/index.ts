// For other packages' browser tests: the shared headless Chromium and its helpers.
export * from './browser.ts';
