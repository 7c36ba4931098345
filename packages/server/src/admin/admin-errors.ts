/** The command line was wrong: the message says what to type instead. Exit status 2. */
export class UsageError extends Error {
  readonly code = 'USAGE';
  readonly exitCode = 2;
}

/** The command was understood but could not be done (unknown portal, duplicate e-mail…). Exit status 1. */
export class CommandFailedError extends Error {
  readonly exitCode = 1;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
