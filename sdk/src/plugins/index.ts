// Plugins: the manifest and package contract, definePlugin and the guest-side types.
export type * from './contract.ts';
