#!/usr/bin/env node
// Plain JavaScript on purpose: it must run, and explain itself, on a Node too old to strip types.
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  process.stderr.write(
    `daicho: Node.js ${process.versions.node} is too old; Daichō needs Node.js 24 LTS or newer.\n` +
      `        Install it, or run ./daicho start, which installs Node 24 from the npm registry into .tools/.\n`,
  );
  process.exit(1);
}
await import('../src/main.ts');
