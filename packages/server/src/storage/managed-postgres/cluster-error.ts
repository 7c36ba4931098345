/**
 * Why the managed cluster could not start, in a sentence a person can act on (a second server
 * on the same data, no user to run it as, missing binaries). The server and the admin command
 * print it instead of a stack trace.
 */
export abstract class ClusterError extends Error {
  abstract readonly code: string;
}
