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
  /** The key of the person's photo address, null without a photo (see photos/photo-address.ts). */
  photoKey?: string | null;
}

export function fullName(user: Pick<User, 'firstName' | 'lastName'>): string {
  return `${user.firstName} ${user.lastName}`.trim();
}
