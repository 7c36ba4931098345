import { type AppContext, type AppDependencies, createServerModules } from './server-modules.ts';

export type { AppContext, AppDependencies } from './server-modules.ts';

/**
 * Every module's services on the database without a server around them, for tools that work on
 * the data directly (the admin command line, benchmarks): nothing is started, no timer runs and
 * Redis is only connected if something uses it.
 */
export function createAppContext(dependencies: AppDependencies): AppContext {
  return createServerModules(dependencies).context;
}
