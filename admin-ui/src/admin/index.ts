// The Admin area: the object and field designer (objects, their fields, deleted fields) for users
// with the designObjects capability. Its pages load on demand; the shell only needs useMayDesign.
export { ObjectDesignerPage } from './object-designer-page.tsx';
export { ObjectsPage } from './objects-page.tsx';
