import react from '@vitejs/plugin-react';
import { defineProject } from 'vitest/config';

// Unit tests of the browser app, beside the code, in jsdom. Listed as a project by the root
// vitest.config.ts: run with `pnpm exec vitest run --project admin-ui` from the root.
export default defineProject({
  plugins: [react()],
  test: {
    name: 'admin-ui',
    root: import.meta.dirname,
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['./src/test/setup.ts'],
  },
});
