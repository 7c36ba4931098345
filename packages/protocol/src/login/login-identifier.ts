import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';

/** What a person typed into the "login" field, classified the way the portal looks it up. */
export type LoginIdentifier =
  | { kind: 'email'; value: string }
  | { kind: 'phone'; value: string }
  | { kind: 'username'; value: string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_CHARS = /^\+?[\d\s().-]{5,}$/;

/** E-mails compare case-insensitively and without surrounding spaces. */
export function normalizeEmail(input: string): string {
  return input.trim().toLowerCase();
}

/** A phone number in any usual format, as E.164 (`+14155550123`), or null when it is not one. */
export function normalizePhone(input: string, defaultCountry: string): string | null {
  const phone = parsePhoneNumberFromString(input.trim(), defaultCountry.toUpperCase() as CountryCode);
  return phone?.isValid() ? phone.number : null;
}

export function classifyLogin(input: string, defaultCountry: string): LoginIdentifier {
  const trimmed = input.trim();
  if (EMAIL.test(trimmed)) return { kind: 'email', value: normalizeEmail(trimmed) };
  if (PHONE_CHARS.test(trimmed)) {
    const phone = normalizePhone(trimmed, defaultCountry);
    if (phone) return { kind: 'phone', value: phone };
  }
  return { kind: 'username', value: trimmed.toLowerCase() };
}
