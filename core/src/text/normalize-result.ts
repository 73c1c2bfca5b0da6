/**
 * The outcome of normalising a structured value (e-mail, phone, URL): the normalised text, and
 * when it does not have a sane shape, a stable problem code saying why. `value` is always the
 * normalised text, so that a form can show what was understood.
 */
export type NormalizeResult<Problem extends string> =
  | { ok: true; value: string }
  | { ok: false; value: string; problem: Problem };
