// Text: normalisation of text, e-mail, phone and URL values, the folded keys global search stores
// and matches, sanitising of rich text, and the safety check for admin-supplied validation
// patterns. Pure functions with no state; no extension points.
export { normalizeEmail } from './normalize-email.ts';
export type { EmailProblem } from './normalize-email.ts';
export { normalizePhone, phoneSearchKey } from './normalize-phone.ts';
export type { PhoneProblem } from './normalize-phone.ts';
export type { NormalizeResult } from './normalize-result.ts';
export { normalizeText } from './normalize-text.ts';
export type { NormalizeTextOptions } from './normalize-text.ts';
export { normalizeUrl } from './normalize-url.ts';
export type { UrlProblem } from './normalize-url.ts';
export { phoneCountryCodes } from './phone-countries.ts';
export { richTextToPlainText } from './rich-text-to-plain-text.ts';
export { richTextElements, sanitizeRichText } from './sanitize-rich-text.ts';
export { searchKey, searchTerms } from './search-key.ts';
export { checkValidationPattern, maxValidationPatternLength } from './validation-pattern.ts';
export type { UnsafePatternReason } from './validation-pattern.ts';
