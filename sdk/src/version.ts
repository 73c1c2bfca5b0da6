import manifest from '../package.json' with { type: 'json' };

/** The version of the Daichō platform contract that this SDK describes. */
export const platformVersion: string = manifest.version;
