// The platform's error type and its named constructors; every domain throws these.
export { DaichoError, errors } from './daicho-error.ts';
export type { DaichoErrorOptions, InputProblem } from './daicho-error.ts';
export { isDatabaseUnavailable } from './database-unavailable.ts';
