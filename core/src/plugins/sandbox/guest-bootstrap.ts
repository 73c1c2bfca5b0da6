/**
 * The script that runs first in every plugin isolate (through `context.evalClosure`, so it
 * declares no global). It receives one host function, the bridge (`$0`, an isolated-vm
 * Callback), the global allow-list (`$1`, JSON) and the limits (`$2`, JSON), and returns the
 * one function the runner calls. Everything plugin code can reach is built here from those:
 *
 * - the built-ins it needs are captured before the bundle runs, so a plugin that replaces
 *   `JSON.stringify` or `Map.prototype.get` changes nothing here;
 * - the bridge lives only in this closure; `ctx` methods are plain functions over it;
 * - results and host-call arguments are turned into JSON here and measured (bytes, nesting)
 *   before anything is copied out; a thrown value is described here, reading only an Error's
 *   own `message` data property, so the runner never touches a guest object;
 * - host-call answers come back through `settle`, which the runner calls with the isolate's CPU
 *   timeout, so code that continues after an `await` is bounded like the first stretch.
 *
 * Runner → guest (`api(op, ...)`): load(code) → error message | null; handlers() → JSON;
 * invoke(id, path, inputJson); settle(id, callId, ok, json | code, message).
 * Guest → runner (`bridge(op, ...)`): call(id, callId, method, argsJson) → refusal code | null;
 * done(id, valueJson, logsJson, truncated); fail(id, code, message, logsJson, truncated, callId).
 */
export const guestBootstrapSource = String.raw`
'use strict';
const bridge = $0;
const global = globalThis;
const { apply, ownKeys, deleteProperty, defineProperty, getOwnPropertyDescriptor } = Reflect;
const { hasOwn, freeze, create, keys: objectKeys } = Object;
const isArray = Array.isArray;
const parseJson = JSON.parse;
const stringifyJson = JSON.stringify;
const ErrorCtor = Error;
const RangeErrorCtor = RangeError;
const FunctionCtor = Function;
const PromiseCtor = Promise;
const promiseResolve = Promise.resolve;
const promiseReject = Promise.reject;
const promiseThen = Promise.prototype.then;
const WeakMapCtor = WeakMap;
const weakMapGet = WeakMap.prototype.get;
const weakMapSet = WeakMap.prototype.set;
const weakMapHas = WeakMap.prototype.has;
const StringCtor = String;
const charCodeAt = String.prototype.charCodeAt;
const regexExec = RegExp.prototype.exec;
const encodeText = encodeURIComponent;
const unescapeText = unescape;
const stringSlice = String.prototype.slice;
const DateCtor = Date;
const toISOString = Date.prototype.toISOString;
const dateNow = Date.now;
const isError = typeof Error.isError === 'function' ? Error.isError : null;
const allowed = parseJson($1);
const limits = parseJson($2);
const maxMessageLength = 1000;

// The global object keeps only the allow-list (see guest-globals.ts).
const allowedSet = create(null);
for (let i = 0; i < allowed.length; i++) allowedSet[allowed[i]] = true;
const globalNames = ownKeys(global);
for (let i = 0; i < globalNames.length; i++) {
  const name = globalNames[i];
  if (typeof name !== 'string' || allowedSet[name] !== true) deleteProperty(global, name);
}

let definition = null;
const invocations = create(null);
const sandboxErrors = new WeakMapCtor();
const hostErrors = new WeakMapCtor();

function sandboxError(code, message) {
  const error = new ErrorCtor(message);
  defineProperty(error, 'code', { value: code, enumerable: true, writable: true, configurable: true });
  apply(weakMapSet, sandboxErrors, [error, code]);
  return error;
}

function cap(text) {
  return text.length > maxMessageLength ? apply(stringSlice, text, [0, maxMessageLength]) + '…' : text;
}

// UTF-8 length at native speed; a lone surrogate (only possible in log text) counts 3 per unit.
function utf8Length(text) {
  try {
    return unescapeText(encodeText(text)).length;
  } catch {
    return text.length * 3;
  }
}

function overBytes(text, limit) {
  if (text.length > limit) return true;
  return text.length * 3 > limit && utf8Length(text) > limit;
}

// Nesting of JSON text: one regular-expression match per string or bracket, never per character.
// The built-in exec is applied directly, so a replaced RegExp.prototype changes nothing.
const jsonTokens = /"[^"\\]*(?:\\.[^"\\]*)*"|[[\]{}]/g;
function jsonDepthOver(json, max) {
  jsonTokens.lastIndex = 0;
  let depth = 0;
  let match;
  while ((match = apply(regexExec, jsonTokens, [json])) !== null) {
    const c = apply(charCodeAt, match[0], [0]);
    if (c === 91 || c === 123) {
      if (++depth > max) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}

// A walk before JSON.stringify, which is slow to give up on deep values (its cycle check is
// linear per level): depth, value count and string lengths, with an explicit stack.
function shapeProblem(value, what) {
  const stack = create(null);
  const depths = create(null);
  stack[0] = value;
  depths[0] = 1;
  let size = 1;
  let budget = limits.maxOutputBytes;
  while (size > 0) {
    size--;
    const current = stack[size];
    const depth = depths[size];
    if (typeof current === 'string') {
      budget -= current.length;
      if (budget < 0) return sandboxError('PLUGIN_OUTPUT_TOO_LARGE', what + ' is larger than ' + limits.maxOutputBytes + ' bytes');
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth > limits.maxOutputDepth) return sandboxError('PLUGIN_OUTPUT_TOO_LARGE', what + ' is nested deeper than ' + limits.maxOutputDepth + ' levels');
    const array = isArray(current);
    const keys = array ? null : objectKeys(current);
    const count = array ? current.length : keys.length;
    // Every value takes at least one byte of JSON.
    budget -= count;
    if (budget < 0) return sandboxError('PLUGIN_OUTPUT_TOO_LARGE', what + ' is larger than ' + limits.maxOutputBytes + ' bytes');
    for (let i = 0; i < count; i++) {
      stack[size] = array ? current[i] : current[keys[i]];
      depths[size] = depth + 1;
      size++;
    }
  }
  return null;
}

// JSON text of a guest value, or a sandbox error; nothing is copied out before this passes.
function toCheckedJson(value, what) {
  const problem = shapeProblem(value, what);
  if (problem !== null) return problem;
  let json;
  try {
    json = stringifyJson(value === undefined ? null : value);
  } catch (error) {
    if (error instanceof RangeErrorCtor) return sandboxError('PLUGIN_OUTPUT_TOO_LARGE', what + ' is nested too deeply');
    return sandboxError('PLUGIN_ERROR', what + ' is not JSON (a cycle, a BigInt, or a toJSON that threw)');
  }
  if (json === undefined) json = 'null';
  if (overBytes(json, limits.maxOutputBytes)) {
    return sandboxError('PLUGIN_OUTPUT_TOO_LARGE', what + ' is larger than ' + limits.maxOutputBytes + ' bytes');
  }
  if (jsonDepthOver(json, limits.maxOutputDepth)) {
    return sandboxError('PLUGIN_OUTPUT_TOO_LARGE', what + ' is nested deeper than ' + limits.maxOutputDepth + ' levels');
  }
  return json;
}

// A thrown value as text, running no guest code: Error.isError sees through no proxy and reads
// no property; only an own data property "message" of a real Error is used.
function describeThrown(thrown) {
  try {
    if (typeof thrown === 'string') return cap(thrown);
    if (typeof thrown === 'object' && thrown !== null && isError !== null && isError(thrown)) {
      const descriptor = getOwnPropertyDescriptor(thrown, 'message');
      if (descriptor !== undefined && hasOwn(descriptor, 'value') && typeof descriptor.value === 'string') return cap(descriptor.value);
      return 'Plugin code threw an Error without a message';
    }
    return 'Plugin code threw a non-Error value (' + typeof thrown + ')';
  } catch {
    return 'Plugin code threw a value that cannot be described';
  }
}

function logText(value) {
  const type = typeof value;
  if (type === 'string') return value;
  if (type === 'number' || type === 'boolean' || type === 'bigint' || value === undefined || value === null) return StringCtor(value);
  if (type === 'symbol' || type === 'function') return '[' + type + ']';
  if (isError !== null && isError(value)) return 'Error: ' + describeThrown(value);
  try {
    const json = stringifyJson(value);
    return json === undefined ? '[' + type + ']' : json;
  } catch {
    return '[unserialisable ' + type + ']';
  }
}

function log(invocation, level, args) {
  if (invocation.ended || invocation.truncated) {
    invocation.truncated = true;
    return;
  }
  let message = '';
  for (let i = 0; i < args.length; i++) {
    message += (i === 0 ? '' : ' ') + logText(args[i]);
    if (message.length > limits.maxLogBytes) break;
  }
  const at = apply(toISOString, new DateCtor(dateNow()), []);
  const overhead = 40 + level.length;
  const room = limits.maxLogBytes - invocation.logBytes - overhead;
  if (room <= 0) {
    invocation.truncated = true;
    return;
  }
  if (message.length > room) {
    invocation.truncated = true;
    message = apply(stringSlice, message, [0, room]);
  }
  let bytes = utf8Length(message);
  while (bytes > room) {
    invocation.truncated = true;
    message = apply(stringSlice, message, [0, (message.length * room / bytes) | 0]);
    bytes = utf8Length(message);
  }
  invocation.logBytes += bytes + overhead;
  invocation.logs += (invocation.logs === '' ? '' : ',') + stringifyJson({ __proto__: null, level, message, at });
}

function callHost(invocation, method, args) {
  if (invocation.ended) return apply(promiseReject, PromiseCtor, [sandboxError('PLUGIN_UNAVAILABLE', 'This invocation has ended')]);
  const json = toCheckedJson(args, 'The arguments of ' + method);
  if (typeof json !== 'string') return apply(promiseReject, PromiseCtor, [json]);
  const callId = ++invocation.calls;
  const refused = bridge('call', invocation.id, callId, method, json);
  if (typeof refused === 'string') {
    const message = refused === 'PLUGIN_RATE_LIMITED' ? 'The plugin made more than ' + limits.maxHostCalls + ' host calls in one invocation' : 'The host call was refused';
    return apply(promiseReject, PromiseCtor, [sandboxError(refused, message)]);
  }
  return new PromiseCtor((resolve, reject) => {
    invocation.pending[callId] = { __proto__: null, resolve, reject };
  });
}

function createCtx(invocation) {
  const call = (method, args) => callHost(invocation, method, args);
  const logger = (level) => (...args) => log(invocation, level, args);
  return freeze({
    records: freeze({
      get: (object, id) => call('records.get', [object, id]),
      list: (object, query) => call('records.list', [object, query === undefined ? {} : query]),
      create: (object, values) => call('records.create', [object, values]),
      update: (object, id, values, version) => call('records.update', version === undefined ? [object, id, values] : [object, id, values, version]),
      delete: (object, id) => call('records.delete', [object, id]),
    }),
    http: freeze({ fetch: (url, init) => call('http.fetch', [url, init === undefined ? {} : init]) }),
    mail: freeze({ send: (message) => call('mail.send', [message]) }),
    settings: freeze({ get: () => call('settings.get', []) }),
    kv: freeze({
      get: (key) => call('kv.get', [key]),
      set: (key, value) => call('kv.set', [key, value]),
      delete: (key) => call('kv.delete', [key]),
    }),
    log: freeze({ debug: logger('debug'), info: logger('info'), warn: logger('warn'), error: logger('error') }),
  });
}

function end(invocation) {
  invocation.ended = true;
  deleteProperty(invocations, invocation.id);
  return '[' + invocation.logs + ']';
}

function succeed(invocation, value) {
  if (invocation.ended) return;
  const json = toCheckedJson(value, 'The result');
  if (typeof json !== 'string') return fail(invocation, json);
  const logs = end(invocation);
  bridge('done', invocation.id, json, logs, invocation.truncated);
}

function fail(invocation, thrown) {
  if (invocation.ended) return;
  let code = 'PLUGIN_ERROR';
  let message;
  let callId = 0;
  if (typeof thrown === 'object' && thrown !== null && apply(weakMapHas, sandboxErrors, [thrown])) {
    code = apply(weakMapGet, sandboxErrors, [thrown]);
    message = describeThrown(thrown);
  } else if (typeof thrown === 'object' && thrown !== null && apply(weakMapHas, hostErrors, [thrown])) {
    code = 'HOST_ERROR';
    callId = apply(weakMapGet, hostErrors, [thrown]);
    message = '';
  } else {
    message = describeThrown(thrown);
  }
  const logs = end(invocation);
  bridge('fail', invocation.id, code, message, logs, invocation.truncated, callId);
}

// By hand: String.prototype.split consults Symbol.split, which plugin code could define.
function splitPath(path) {
  const parts = [];
  let start = 0;
  for (let i = 0; i <= path.length; i++) {
    if (i === path.length || apply(charCodeAt, path, [i]) === 47) {
      defineProperty(parts, parts.length, { value: apply(stringSlice, path, [start, i]), writable: true, enumerable: true, configurable: true });
      start = i + 1;
    }
  }
  return parts;
}

// A handler path names an own property at each step, never an inherited one ("constructor").
function resolveHandler(path) {
  if (definition === null) return null;
  const parts = splitPath(StringCtor(path));
  const kind = parts[0];
  const steps = kind === 'hooks' ? 3 : kind === 'actions' || kind === 'schedules' || kind === 'migrations' ? 2 : 0;
  if (steps === 0 || parts.length !== steps) return null;
  let holder = definition;
  let target = definition;
  for (let i = 0; i < parts.length; i++) {
    if (target === null || (typeof target !== 'object' && typeof target !== 'function') || !hasOwn(target, parts[i])) return null;
    holder = target;
    target = target[parts[i]];
  }
  return typeof target === 'function' ? { __proto__: null, holder, fn: target } : null;
}

function listHandlers() {
  const paths = [];
  if (definition === null) return paths;
  const names = (value) => (value !== null && typeof value === 'object' ? ownKeys(value) : []);
  const kinds = ['hooks', 'actions', 'schedules', 'migrations'];
  for (let k = 0; k < kinds.length; k++) {
    const kind = kinds[k];
    const group = hasOwn(definition, kind) ? definition[kind] : null;
    const keys = names(group);
    for (let i = 0; i < keys.length; i++) {
      if (typeof keys[i] !== 'string') continue;
      if (kind === 'hooks') {
        const events = names(group[keys[i]]);
        for (let j = 0; j < events.length; j++) {
          if (typeof events[j] === 'string' && typeof group[keys[i]][events[j]] === 'function') paths[paths.length] = 'hooks/' + keys[i] + '/' + events[j];
        }
      } else if (typeof group[keys[i]] === 'function') {
        paths[paths.length] = kind + '/' + keys[i];
      }
    }
  }
  return paths;
}

function load(code) {
  try {
    // A function body, not a script: the bundle's top-level var stays out of the global object.
    const factory = new FunctionCtor(code + '\n;return typeof __daicho_plugin__ === "undefined" ? undefined : __daicho_plugin__;');
    let exported = factory();
    if (exported === undefined && hasOwn(global, '__daicho_plugin__')) exported = global.__daicho_plugin__;
    deleteProperty(global, '__daicho_plugin__');
    const candidate = exported !== null && typeof exported === 'object' && hasOwn(exported, 'default') ? exported.default : exported;
    if (candidate === null || typeof candidate !== 'object') return 'The bundle does not assign a plugin definition to __daicho_plugin__';
    definition = candidate;
    return null;
  } catch (error) {
    return 'The bundle failed to load: ' + describeThrown(error);
  }
}

function invoke(id, path, inputJson) {
  const invocation = { __proto__: null, id, calls: 0, pending: create(null), logs: '', logBytes: 0, truncated: false, ended: false };
  invocations[id] = invocation;
  const handler = resolveHandler(path);
  if (handler === null) return fail(invocation, sandboxError('PLUGIN_ERROR', 'The plugin has no handler ' + cap(StringCtor(path))));
  let outcome;
  try {
    outcome = apply(handler.fn, handler.holder, [parseJson(inputJson), createCtx(invocation)]);
  } catch (error) {
    return fail(invocation, error);
  }
  try {
    const settled = apply(promiseResolve, PromiseCtor, [outcome]);
    apply(promiseThen, settled, [(value) => succeed(invocation, value), (error) => fail(invocation, error)]);
  } catch (error) {
    fail(invocation, error);
  }
}

function settle(id, callId, ok, a, b) {
  const invocation = invocations[id];
  if (invocation === undefined) return;
  const pending = invocation.pending[callId];
  if (pending === undefined) return;
  deleteProperty(invocation.pending, callId);
  if (ok) {
    pending.resolve(parseJson(a));
  } else {
    const error = new ErrorCtor(b);
    defineProperty(error, 'code', { value: a, enumerable: true, writable: true, configurable: true });
    apply(weakMapSet, hostErrors, [error, callId]);
    pending.reject(error);
  }
}

return function api(op, a, b, c, d, e) {
  if (op === 'invoke') return invoke(a, b, c);
  if (op === 'settle') return settle(a, b, c, d, e);
  if (op === 'load') return load(a);
  if (op === 'handlers') return stringifyJson(listHandlers());
  return undefined;
};
`;
