import { gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

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

/** The budget for the JavaScript a first visit downloads before any page renders. */
const initialJavaScriptBudget = 400 * 1024;

/**
 * Fails the build when the entry chunk and everything it imports statically (what the browser
 * fetches before the first page) exceed the budget, gzipped. Lazy routes do not count.
 */
function initialSizeBudget(): Plugin {
  return {
    name: 'daicho-initial-size-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = new Map(Object.values(bundle).flatMap((item) => (item.type === 'chunk' ? [[item.fileName, item] as const] : [])));
      const initial = new Set<string>();
      const visit = (fileName: string) => {
        const chunk = chunks.get(fileName);
        if (chunk === undefined || initial.has(fileName)) return;
        initial.add(fileName);
        chunk.imports.forEach(visit);
      };
      for (const chunk of chunks.values()) if (chunk.isEntry) visit(chunk.fileName);
      const size = [...initial].reduce((sum, fileName) => sum + gzipSync(chunks.get(fileName)?.code ?? '').length, 0);
      const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
      if (size > initialJavaScriptBudget) this.error(`initial JavaScript is ${kb(size)} gzipped, over the budget of ${kb(initialJavaScriptBudget)}`);
      this.info(`initial JavaScript: ${kb(size)} gzipped (budget ${kb(initialJavaScriptBudget)})`);
    },
  };
}

export default defineConfig({
  plugins: [react(), initialSizeBudget()],
  server: {
    proxy: Object.fromEntries(['/api', '/healthz', '/readyz'].map((prefix) => [prefix, { target: apiTarget }])),
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The shared Ant Design core is one ≈770 kB (250 kB gzipped) chunk; what counts is the
    // gzipped initial budget that initialSizeBudget() enforces.
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      output: {
        codeSplitting: { groups: vendorChunks },
      },
    },
  },
});
