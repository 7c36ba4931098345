import { z } from 'zod';

/** `network.profile.get`: the signed-in profile, as its owner sees it. */
export const NetworkProfileSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  emailVerified: z.boolean(),
  phone: z.string().nullable(),
  otpEnabled: z.boolean(),
});
export type NetworkProfile = z.infer<typeof NetworkProfileSchema>;

/** `POST /network/login/` on the Network host, the same shape as the desktop password sign-in. */
export const NetworkSignInFormSchema = z.object({
  login: z.string().min(1).max(255),
  password: z.string().min(1).max(1024),
  otp: z.string().max(16).optional(),
});
export type NetworkSignInForm = z.infer<typeof NetworkSignInFormSchema>;
