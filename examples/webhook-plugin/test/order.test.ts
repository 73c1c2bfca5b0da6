// Runs with `daicho-plugin test`: against a real Daichō server with this plugin installed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectTestServer } from '@daicho/sdk/testing';

const server = connectTestServer();

test('an order is created whatever the webhook answers (the hook runs after the commit)', async () => {
  const created = await server.records.create('acme.webhook.order', { reference: 'ORD-1', amount: 1200, stage: 'new' });
  assert.equal(created.reference, 'ORD-1');
  assert.equal((await server.records.get('acme.webhook.order', created.id))?.amount, 1200);
});
