/** A Network profile: one person's global identity, separate from any portal account. */
export interface Profile {
  id: number;
  /** The stable, non-sequential identifier other parties see (`sub` in tokens). */
  publicId: string;
  /** Lower case. */
  email: string | null;
  emailVerified: boolean;
  /** E.164. */
  phone: string | null;
  displayName: string;
  otpEnabled: boolean;
}
