/** PostgreSQL's "unique_violation", as pg reports it. */
export function isUniqueViolation(error: unknown): error is { code: string; constraint?: string } {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

/** Which login of a new user is taken already, read from the violated constraint's name. */
export function takenLogin(error: { constraint?: string }): 'phone number' | 'user name' | 'e-mail' {
  if (error.constraint?.includes('phone')) return 'phone number';
  if (error.constraint?.includes('username')) return 'user name';
  return 'e-mail';
}
