#!/usr/bin/env node
// The `portaldesk` admin command. The server is TypeScript run without a build step, so the
// command registers tsx's loader and then imports its entry point.
import { register } from 'tsx/esm/api';

register();
await import('../src/admin/cli.ts');
