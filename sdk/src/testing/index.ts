// @daicho/sdk/testing: what a plugin's own tests use against the server `daicho-plugin test` starts.
export { connectTestServer, TestServerError } from './test-server-client.ts';
export type { TestRecordsClient, TestServer } from './test-server-client.ts';
