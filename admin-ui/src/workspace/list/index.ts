// The list of an object's records: columns, sort, filter builder, keyset paging, CSV export.
export { ListPage } from './list-page.tsx';
