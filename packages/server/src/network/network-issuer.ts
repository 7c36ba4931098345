/**
 * The Network's public URL, which is also its OAuth issuer (`iss`). Fixed by configuration in
 * production; in demo and tests it is `<scheme>://<domain>:<port>`, known only once the server
 * has bound its port, so it is set after listening and read on every use.
 */
export class NetworkIssuer {
  private value: string | undefined;

  constructor(fixed?: string) {
    this.value = fixed;
  }

  /** Sets the derived URL unless a fixed one was configured. */
  bindDerived(scheme: string, domain: string, port: number): void {
    if (this.value !== undefined) return;
    const defaultPort = (scheme === 'https' && port === 443) || (scheme === 'http' && port === 80);
    this.value = `${scheme}://${domain}${defaultPort ? '' : `:${port}`}`;
  }

  get url(): string {
    if (this.value === undefined) throw new Error('The Network issuer is not known before the server listens');
    return this.value;
  }
}
