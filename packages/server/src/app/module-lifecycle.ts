import type { FeatureModule } from '../modules/feature-module.ts';

/**
 * Runs the modules' start and stop: start in the order given (what a module uses starts before
 * it), stop in reverse, so that Redis, started first, closes after every module that uses it.
 */
export class ModuleLifecycle {
  private readonly started: FeatureModule[] = [];

  constructor(private readonly modules: readonly FeatureModule[]) {}

  /** Starts each module in turn; when one fails, those before it stay started for {@link stop}. */
  async start(): Promise<void> {
    for (const module of this.modules) {
      await module.start?.();
      this.started.push(module);
    }
  }

  /** Stops the started modules, last started first; each once, however often this is called. */
  async stop(): Promise<void> {
    for (let module = this.started.pop(); module; module = this.started.pop()) await module.stop?.();
  }
}
