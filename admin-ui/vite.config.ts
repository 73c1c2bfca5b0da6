import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Where `pnpm dev` sends API calls: the core server started with `pnpm dev` at the root. */
const apiTarget = 'http://127.0.0.1:4600';

/**
 * Long-lived vendor code gets its own chunks, so an app change does not invalidate them. Only
 * what every page needs is grouped: the rest of the libraries follow the dynamic imports of the
 * routes, so a page's own components (tables, pickers, the form library) load with that page.
 * The higher priority wins when a module matches several.
 */
const vendorChunks = [
  { name: 'react', priority: 3, test: /[\\/]node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
];

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: Object.fromEntries(['/api', '/healthz', '/readyz'].map((prefix) => [prefix, { target: apiTarget }])),
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        codeSplitting: { groups: vendorChunks },
      },
    },
  },
});
