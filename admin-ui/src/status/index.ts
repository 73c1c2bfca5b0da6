// The server status page: health of the server and its version, from GET /healthz.
export { StatusPage } from './status-page.tsx';
