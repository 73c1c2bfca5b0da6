// jsdom lacks a few browser APIs that Ant Design reads; these stand-ins answer like a wide
// desktop window. They replace the environment, not any of our code.
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

if (typeof window.matchMedia !== 'function') {
  window.matchMedia = (query: string): MediaQueryList => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => undefined,
    removeListener: () => undefined,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    dispatchEvent: () => false,
  });
}

// Testing Library unmounts by itself only when test globals are on; they are off here.
afterEach(() => {
  cleanup();
});
