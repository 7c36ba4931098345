import type { RestMethod } from './rest-method.ts';

export class RestMethodRegistry {
  private readonly methods = new Map<string, RestMethod>();

  register(...methods: RestMethod[]): this {
    for (const method of methods) {
      const name = method.name.toLowerCase();
      if (this.methods.has(name)) throw new Error(`REST method registered twice: ${name}`);
      this.methods.set(name, method as RestMethod);
    }
    return this;
  }

  find(name: string): RestMethod | undefined {
    return this.methods.get(name.toLowerCase());
  }

  all(): RestMethod[] {
    return [...this.methods.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  names(): string[] {
    return [...this.methods.keys()].sort();
  }
}
