// The record page: view, create and edit with react-jsonschema-form; server problems on their
// fields; the conflict dialog on a stale save.
export { RecordPage } from './record-page.tsx';
