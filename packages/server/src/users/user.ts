export interface User {
  id: number;
  portalId: number;
  firstName: string;
  lastName: string;
  email: string | null;
  /** E.164. */
  phone: string | null;
  /** Lower case. */
  username: string | null;
  active: boolean;
  isAdmin: boolean;
  createdAt: Date;
}

export function fullName(user: Pick<User, 'firstName' | 'lastName'>): string {
  return `${user.firstName} ${user.lastName}`.trim();
}
