import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ActiveSessionInfo } from '@portaldesk/protocol';
import { sessionGroups } from './session-groups.ts';

const LINUX_CHROME =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';
const session = (id: string, method: ActiveSessionInfo['method'], ip: string, current = false): ActiveSessionInfo => ({
  id,
  current,
  method,
  createdAt: '2026-12-07T10:00:00Z',
  lastSeenAt: '2026-12-07T10:00:00Z',
  expiresAt: '2026-12-08T10:00:00Z',
  ip,
  userAgent: LINUX_CHROME,
});

test("one desktop's sessions are one line; browsers, this device and the one to review stand alone", () => {
  const groups = sessionGroups(
    [
      session('phone', 'password', '10.0.0.9', true),
      session('desk-3', 'app_password', '10.0.0.2'),
      session('desk-2', 'app_password', '10.0.0.2'),
      session('laptop', 'app_password', '10.0.0.3'),
      session('desk-1', 'app_password', '10.0.0.2'),
      session('browser-2', 'password', '10.0.0.2'),
      session('browser-1', 'password', '10.0.0.2'),
      session('review', 'app_password', '10.0.0.2'),
    ],
    'review',
  );
  assert.deepEqual(
    groups.map((g) => [g.label, g.ids]),
    [
      ['Chrome on Linux', ['phone']],
      ['Portaldesk desktop on Linux', ['desk-3', 'desk-2', 'desk-1']],
      ['Portaldesk desktop on Linux', ['laptop']],
      ['Chrome on Linux', ['browser-2']],
      ['Chrome on Linux', ['browser-1']],
      ['Portaldesk desktop on Linux', ['review']],
    ],
  );
});
