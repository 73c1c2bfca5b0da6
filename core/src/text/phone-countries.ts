/**
 * What we need to know of a country to turn a number written the national way into E.164: its
 * calling code, the trunk prefix dialled before area codes at home, the prefix for dialling
 * abroad, and how many digits its national significant numbers have.
 */
export interface PhoneCountry {
  callingCode: string;
  /** Written before national numbers at home (`0` in 03-1234-5678); empty when there is none. */
  trunkPrefix: string;
  /** True when national numbers may also be written without the trunk prefix (the `1` of 1-415-…). */
  trunkPrefixOptional: boolean;
  /** Dialled before a calling code to call abroad from this country (`010` from Japan). */
  internationalPrefix: string;
  /** Length range of the national significant number (the digits after the calling code). */
  minDigits: number;
  maxDigits: number;
}

// A deliberately small table: the countries our customers call most. A number written with `+`
// is understood for every country; one written the national way only for these.
const countries: Readonly<Record<string, PhoneCountry>> = {
  JP: { callingCode: '81', trunkPrefix: '0', trunkPrefixOptional: false, internationalPrefix: '010', minDigits: 9, maxDigits: 10 },
  US: { callingCode: '1', trunkPrefix: '1', trunkPrefixOptional: true, internationalPrefix: '011', minDigits: 10, maxDigits: 10 },
  CA: { callingCode: '1', trunkPrefix: '1', trunkPrefixOptional: true, internationalPrefix: '011', minDigits: 10, maxDigits: 10 },
  GB: { callingCode: '44', trunkPrefix: '0', trunkPrefixOptional: false, internationalPrefix: '00', minDigits: 9, maxDigits: 10 },
  AU: { callingCode: '61', trunkPrefix: '0', trunkPrefixOptional: false, internationalPrefix: '0011', minDigits: 9, maxDigits: 9 },
  KR: { callingCode: '82', trunkPrefix: '0', trunkPrefixOptional: false, internationalPrefix: '00', minDigits: 8, maxDigits: 10 },
  TW: { callingCode: '886', trunkPrefix: '0', trunkPrefixOptional: false, internationalPrefix: '00', minDigits: 8, maxDigits: 9 },
  SG: { callingCode: '65', trunkPrefix: '', trunkPrefixOptional: false, internationalPrefix: '000', minDigits: 8, maxDigits: 8 },
  HK: { callingCode: '852', trunkPrefix: '', trunkPrefixOptional: false, internationalPrefix: '00', minDigits: 8, maxDigits: 8 },
};

/** The countries whose national number format we understand, as ISO 3166-1 alpha-2 codes. */
export const phoneCountryCodes: readonly string[] = Object.keys(countries);

/** The numbering facts of a country (ISO 3166-1 alpha-2, any case), or undefined when we have none. */
export function phoneCountryOf(code: string): PhoneCountry | undefined {
  return Object.hasOwn(countries, code.toUpperCase()) ? countries[code.toUpperCase()] : undefined;
}

/**
 * The country whose calling code starts an international number's digits (calling codes are
 * prefix-free), preferring `preferred` when several countries share a code (+1: US and CA).
 */
export function phoneCountryByCallingCode(digits: string, preferred?: PhoneCountry): PhoneCountry | undefined {
  if (preferred && digits.startsWith(preferred.callingCode)) return preferred;
  return Object.values(countries).find((country) => digits.startsWith(country.callingCode));
}

/** The national significant number, when `digits` is a valid national-format number of `country`. */
export function nationalSignificantNumber(digits: string, country: PhoneCountry): string | undefined {
  // A national significant number never starts with 0 nor with the trunk prefix (North American
  // area codes cannot start with 1).
  const fits = (candidate: string) =>
    candidate.length >= country.minDigits &&
    candidate.length <= country.maxDigits &&
    !candidate.startsWith('0') &&
    (country.trunkPrefix === '' || !candidate.startsWith(country.trunkPrefix));
  if (country.trunkPrefix !== '' && digits.startsWith(country.trunkPrefix)) {
    const rest = digits.slice(country.trunkPrefix.length);
    if (fits(rest)) return rest;
  }
  if ((country.trunkPrefix === '' || country.trunkPrefixOptional) && fits(digits)) return digits;
  return undefined;
}
