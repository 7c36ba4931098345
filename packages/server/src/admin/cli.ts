import { runAdminCli } from './admin-cli.ts';

// `npm run admin -- …` and the `portaldesk` bin land here.
process.exitCode = await runAdminCli(process.argv.slice(2), {
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
});
