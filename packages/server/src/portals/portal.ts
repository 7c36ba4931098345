export interface Portal {
  id: number;
  /** Host name without port, lower case: `acme.localhost`. */
  domain: string;
  name: string;
  /** ISO 3166 country used to read phone numbers written without a country code. */
  defaultCountry: string;
  /** Bitrix24's stable portal identifier, returned in OAuth answers. */
  memberId: string;
}
