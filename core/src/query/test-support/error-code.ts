import { DaichoError } from '../../errors/index.ts';

/** The DaichoError code `run` throws, or undefined when it returns; any other error propagates. */
export function errorCodeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof DaichoError) return error.code;
    throw error;
  }
  return undefined;
}
