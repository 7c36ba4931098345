// A stand-in for the desktop's entry point in the single-instance test: claims the instance,
// prints its role, and as primary prints every second launch it is handed.
import { claimSingleInstance } from './single-instance.ts';

const [socketPath, ...argv] = process.argv.slice(2);
const instance = await claimSingleInstance({
  socketPath: socketPath!,
  argv,
  onSecondLaunch: (launch) => console.log(`second-launch ${JSON.stringify(launch.argv)}`),
});
console.log(`role ${instance.role}`);
if (instance.role === 'primary') {
  process.on('SIGTERM', () => instance.release().then(() => process.exit(0)));
}
