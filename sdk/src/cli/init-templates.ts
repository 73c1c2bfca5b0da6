// The files `daicho-plugin init` writes: a plugin that works as generated (build, pack and test
// pass), small enough to read in a minute, showing each part once.

/**
 * What `init` needs: the plugin id and the SDK version range to depend on.
 *
 * @example
 * renderTemplate({ id: 'acme.hello', sdkVersion: '^0.1.0' });
 */
export interface TemplateOptions {
  id: string;
  sdkVersion: string;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * File path → content, for `init <dir> --id <publisher.name>`.
 *
 * @example
 * for (const [file, text] of renderTemplate({ id: 'acme.hello', sdkVersion: '^0.1.0' })) writeFileSync(file, text);
 */
export function renderTemplate({ id, sdkVersion }: TemplateOptions): Map<string, string> {
  const [publisher = '', name = ''] = id.split('.');
  const objectName = `${id}.greeting`;
  const title = name.charAt(0).toUpperCase() + name.slice(1).replaceAll('_', ' ');
  const files = new Map<string, string>();
  files.set('daicho-plugin.json', json({
    id,
    version: '0.1.0',
    publisher,
    displayName: { en: title, ja: title },
    description: { en: `${title}: greets every new greeting record.`, ja: `${title}：新しい挨拶レコードに挨拶文を入れます。` },
    engines: { daicho: '>=0.1.0' },
    // A before-hook's `set` writes to the record: the host asks for records.write on its object.
    permissions: [`records.write:${objectName}`],
    contributes: {
      objects: ['definitions/greeting.object.json'],
      recordHooks: [{ object: objectName, events: ['beforeCreate'] }],
      settingsSchema: {
        type: 'object',
        properties: { greeting: { type: 'string', title: 'Greeting', default: 'Hello', maxLength: 40 } },
        additionalProperties: false,
      },
      translations: { en: 'locales/en.json', ja: 'locales/ja.json' },
    },
    main: 'dist/plugin.js',
  }));
  files.set('definitions/greeting.object.json', json({
    name: objectName,
    labels: { en: 'Greeting', ja: '挨拶' },
    pluralLabels: { en: 'Greetings', ja: '挨拶' },
    titleField: 'person',
    fields: [
      { name: 'person', type: 'text', labels: { en: 'Person', ja: '相手' }, maxLength: 100 },
      { name: 'message', type: 'text', labels: { en: 'Message', ja: 'メッセージ' }, maxLength: 200 },
    ],
  }));
  files.set('locales/en.json', json({ 'greeting.missingPerson': 'Say whom to greet' }));
  files.set('locales/ja.json', json({ 'greeting.missingPerson': '挨拶する相手を入力してください' }));
  files.set('src/index.ts', `import { definePlugin } from '@daicho/sdk';
import type { DaichoObjects } from './daicho-objects.js';

/** The admin's settings, from contributes.settingsSchema. */
interface Settings {
  greeting: string;
}

export default definePlugin<DaichoObjects, Settings>({
  hooks: {
    '${objectName}': {
      // Runs inside the create's transaction: fills the message, or refuses the record.
      async beforeCreate({ record }, ctx) {
        const person = record.person?.trim();
        if (!person) return { problems: [{ field: 'person', message: 'Say whom to greet' }] };
        const { greeting = 'Hello' } = await ctx.settings.get();
        ctx.log.info('greeting', person);
        return { set: { person, message: \`\${greeting}, \${person}!\` } };
      },
    },
  },
});
`);
  files.set('test/greeting.test.ts', `// Runs with \`daicho-plugin test\`: against a real Daichō server with this plugin installed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectTestServer } from '@daicho/sdk/testing';

const server = connectTestServer();

test('a new greeting gets its message from the hook', async () => {
  const created = await server.records.create('${objectName}', { person: 'Ada' });
  assert.equal(created.message, 'Hello, Ada!');
});

test('a greeting without a person is refused', async () => {
  await assert.rejects(server.records.create('${objectName}', { person: ' ' }), { code: 'VALIDATION_FAILED' });
});
`);
  files.set('package.json', json({
    name: `daicho-plugin-${publisher}-${name.replaceAll('_', '-')}`,
    version: '0.1.0',
    private: true,
    type: 'module',
    scripts: { build: 'daicho-plugin build', pack: 'daicho-plugin pack', test: 'daicho-plugin test' },
    dependencies: { '@daicho/sdk': sdkVersion },
  }));
  files.set('tsconfig.json', json({
    compilerOptions: {
      target: 'es2023', lib: ['es2023'], module: 'nodenext', moduleResolution: 'nodenext', strict: true,
      noEmit: true, allowImportingTsExtensions: true, verbatimModuleSyntax: true, skipLibCheck: true, types: ['node'],
    },
    include: ['src', 'test'],
  }));
  files.set('.gitignore', 'dist/\n*.tgz\n*.key\nnode_modules/\n');
  files.set('README.md', `# ${title} (${id})

A Daichō plugin: the object \`${objectName}\` and a \`beforeCreate\` hook that writes a greeting
(from the plugin's \`greeting\` setting) into every new record.

\`\`\`sh
pnpm install
pnpm build     # daicho-plugin build: checks daicho-plugin.json, writes dist/plugin.js
pnpm test      # daicho-plugin test: starts Daichō, installs the plugin, runs test/*.test.ts
pnpm run pack  # daicho-plugin pack: writes ${id}-0.1.0.tgz and prints its sha256 (\`pnpm pack\` is pnpm's own)
\`\`\`

See the plugin developer guide in Daichō's docs/plugin-guide/.
`);
  return files;
}
