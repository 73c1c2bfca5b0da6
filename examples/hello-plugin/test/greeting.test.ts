// Runs with `daicho-plugin test`: against a real Daichō server with this plugin installed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectTestServer } from '@daicho/sdk/testing';

const server = connectTestServer();

test('a new greeting gets its message from the hook', async () => {
  const created = await server.records.create('acme.hello.greeting', { person: 'Ada' });
  assert.equal(created.message, 'Hello, Ada!');
});

test('a greeting without a person is refused', async () => {
  await assert.rejects(server.records.create('acme.hello.greeting', { person: ' ' }), { code: 'VALIDATION_FAILED' });
});
