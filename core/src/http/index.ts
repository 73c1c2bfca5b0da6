// The HTTP kernel: the Koa app, request ids and logging, security headers, JSON bodies, the one
// error mapper and the static browser app. Plumbing only: routes come in as RouteMounts.
export { apiPrefixes, createHttpApp, createRouter } from './app.ts';
export type { CreateHttpAppOptions, RouteMount } from './app.ts';
export { clientAddressOf, isSecureRequest } from './client-address.ts';
export type { HttpContext, HttpMiddleware, HttpNext, HttpRouter, RequestState } from './context.ts';
export type { AccessLogFields, RequestObserver, RequestSample } from './request-id.ts';
export { readBodyStream, readJsonBody } from './json-body.ts';
export { contentSecurityPolicy } from './security-headers.ts';
