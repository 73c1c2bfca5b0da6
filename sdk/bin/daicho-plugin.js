#!/usr/bin/env node
// Plain JavaScript on purpose: it must run, and explain itself, on a Node too old to strip types.
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  process.stderr.write(`daicho-plugin: Node.js ${process.versions.node} is too old; the Daichō SDK needs Node.js 24 or newer.\n`);
  process.exit(1);
}
await import('../src/cli/main.ts');
