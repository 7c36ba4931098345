import { interface as dbusInterface } from '@jellybrick/dbus-next';

/**
 * A D-Bus service interface whose members are declared with `configureMembers` (no decorators).
 * `configureMembers` puts the member tables on the prototype, but the library's base
 * constructor defines them on the instance as undefined (class fields), hiding them; this copies
 * them over.
 */
export class ConfiguredInterface extends dbusInterface.Interface {
  constructor(name: string) {
    super(name);
    const proto = Object.getPrototypeOf(this) as ConfiguredInterface;
    this.$methods = proto.$methods;
    this.$signals = proto.$signals;
    this.$properties = proto.$properties;
  }
}
