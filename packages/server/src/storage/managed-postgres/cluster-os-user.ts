import { execFileSync } from 'node:child_process';
import { ClusterError } from './cluster-error.ts';

/** The operating-system account the cluster's processes run as; null: the server's own. */
export type ClusterOsUser = { name: string; uid: number; gid: number } | null;

export class ClusterOsUserError extends ClusterError {
  readonly code = 'CLUSTER_OS_USER_MISSING';
}

/**
 * PostgreSQL refuses to run as root (a database server compromised through SQL would own the
 * machine). A server started as root (containers, CI) runs its cluster as an unprivileged system
 * user instead: `postgres`, which Debian's and most distributions' PostgreSQL packages create, or
 * the one named by PORTALDESK_POSTGRES_USER. Any other user runs the cluster as itself.
 */
export function clusterOsUser(wanted: string, uid: number | undefined = process.getuid?.()): ClusterOsUser {
  if (uid !== 0) return null;
  const id = (flag: string) => Number(execFileSync('id', [flag, wanted], { encoding: 'utf8' }).trim());
  try {
    return { name: wanted, uid: id('-u'), gid: id('-g') };
  } catch {
    throw new ClusterOsUserError(
      `PostgreSQL does not run as root, and there is no system user "${wanted}" to run it as. ` +
        `Create one (useradd --system --user-group ${wanted}), name another in PORTALDESK_POSTGRES_USER, or start Portaldesk as a normal user.`,
    );
  }
}
