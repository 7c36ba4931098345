/**
 * "Chrome on Linux" from a User-Agent header: enough for a person to tell their sessions apart.
 * Order matters: Edge and Opera also say Chrome, Chrome also says Safari.
 */
const BROWSERS: [RegExp, string][] = [
  [/\bEdg(e|A|iOS)?\//, 'Edge'],
  [/\bOPR\//, 'Opera'],
  [/\bFirefox\/|\bFxiOS\//, 'Firefox'],
  [/\bChrom(e|ium)\/|\bHeadlessChrome\/|\bCriOS\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
];
const SYSTEMS: [RegExp, string][] = [
  [/\bAndroid\b/, 'Android'],
  [/\b(iPhone|iPad|iPod)\b/, 'iOS'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
];

export function deviceLabel(userAgent: string | null, method: 'password' | 'app_password'): string {
  const browser = userAgent ? BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1] : undefined;
  const system = userAgent ? SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1] : undefined;
  // A session opened with an application password is the desktop app's.
  const what = method === 'app_password' ? 'Portaldesk desktop' : (browser ?? 'Unknown browser');
  return system ? `${what} on ${system}` : what;
}
