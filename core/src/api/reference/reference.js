// The API reference page: fetches this workspace's OpenAPI document and renders it. Plain
// browser JavaScript served as is by core (no build step). Everything is built with
// createElement/textContent, never innerHTML: labels and descriptions are admin-supplied text.

const documentUrl = '/api/v1/openapi.json';
const tokenKey = 'daicho.reference.token';
const languageKey = 'daicho.reference.language';

const texts = {
  en: {
    title: 'Daichō API reference',
    loading: 'Loading the API description…',
    loaded: 'API description of this workspace, version {version}.',
    needToken: 'Sign in to the workspace in this browser, or paste a session token (from POST /api/v1/auth/login).',
    badToken: 'The token was refused (expired or not valid); paste another.',
    failed: 'The API description could not be loaded: {reason}',
    tokenLabel: 'Session token',
    tokenSubmit: 'Load',
    tokenForget: 'Forget token',
    tokenHint: 'Kept in this tab only (sessionStorage) and sent as Authorization: Bearer.',
    searchLabel: 'Search operations',
    count: '{shown} of {total} operations',
    noMatch: 'No operation matches.',
    parameters: 'Parameters',
    requestBody: 'Request body',
    responses: 'Responses',
    name: 'Name',
    in: 'In',
    type: 'Type',
    description: 'Description',
    field: 'Field',
    required: 'required',
    readOnly: 'read-only',
    nullable: 'nullable',
    deprecated: 'deprecated',
    values: 'values',
    errorCodesHere: 'Error codes',
    errors: 'Errors',
    errorShape: 'Every failure answers with this body; branch on code, never on message.',
    code: 'Code',
    status: 'Status',
    noSchema: 'No body.',
    anyJson: 'any JSON',
    noOperations: 'This workspace has no objects yet.',
  },
  ja: {
    title: 'Daichō API リファレンス',
    loading: 'API 定義を読み込んでいます…',
    loaded: 'このワークスペースの API 定義（バージョン {version}）',
    needToken: 'このブラウザーでワークスペースにサインインするか、セッショントークン（POST /api/v1/auth/login で取得）を貼り付けてください。',
    badToken: 'トークンが拒否されました（期限切れか無効です）。別のトークンを貼り付けてください。',
    failed: 'API 定義を読み込めませんでした: {reason}',
    tokenLabel: 'セッショントークン',
    tokenSubmit: '読み込む',
    tokenForget: 'トークンを消去',
    tokenHint: 'このタブの中だけ（sessionStorage）に保存し、Authorization: Bearer で送ります。',
    searchLabel: '操作を検索',
    count: '{total} 件中 {shown} 件の操作',
    noMatch: '一致する操作はありません。',
    parameters: 'パラメーター',
    requestBody: 'リクエスト本文',
    responses: 'レスポンス',
    name: '名前',
    in: '場所',
    type: '型',
    description: '説明',
    field: 'フィールド',
    required: '必須',
    readOnly: '読み取り専用',
    nullable: 'null 可',
    deprecated: '非推奨',
    values: '値',
    errorCodesHere: 'エラーコード',
    errors: 'エラー',
    errorShape: '失敗はすべてこの形の本文で返ります。message ではなく code で分岐してください。',
    code: 'コード',
    status: 'ステータス',
    noSchema: '本文なし',
    anyJson: '任意の JSON',
    noOperations: 'このワークスペースにはまだオブジェクトがありません。',
  },
};

const methods = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'];

let language = pickLanguage();
let spec;
let lastStatus = { key: 'loading', values: {} };

function pickLanguage() {
  const saved = localStorage.getItem(languageKey);
  if (saved === 'en' || saved === 'ja') return saved;
  const preferred = navigator.languages && navigator.languages.length > 0 ? navigator.languages : [navigator.language];
  for (const tag of preferred) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (base === 'ja' || base === 'en') return base;
  }
  return 'en';
}

function t(key, values = {}) {
  const template = texts[language][key] ?? texts.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''));
}

/** An element with attributes and children; strings become text nodes (never markup). */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'className') element.className = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

function setStatus(key, values = {}) {
  lastStatus = { key, values };
  document.querySelector('[data-testid="status"]').textContent = t(key, values);
}

function applyLanguage() {
  document.documentElement.lang = language;
  document.title = t('title');
  for (const element of document.querySelectorAll('[data-text]')) element.textContent = t(element.getAttribute('data-text'));
  for (const button of document.querySelectorAll('[data-language]')) button.setAttribute('aria-pressed', String(button.getAttribute('data-language') === language));
  setStatus(lastStatus.key, lastStatus.values);
  if (spec) render();
}

async function load() {
  const token = sessionStorage.getItem(tokenKey);
  const form = document.querySelector('[data-testid="token-form"]');
  const forget = document.querySelector('[data-testid="forget-token"]');
  forget.hidden = !token;
  setStatus('loading');
  let response;
  try {
    response = await fetch(documentUrl, {
      credentials: 'same-origin',
      headers: { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      cache: 'no-store',
    });
  } catch (error) {
    setStatus('failed', { reason: error instanceof Error ? error.message : String(error) });
    return;
  }
  if (response.status === 401) {
    spec = undefined;
    document.querySelector('#reference').replaceChildren();
    document.querySelector('nav.filter').hidden = true;
    form.hidden = false;
    setStatus(token ? 'badToken' : 'needToken');
    return;
  }
  if (!response.ok) {
    let reason = `HTTP ${response.status}`;
    try {
      const body = await response.json();
      if (body && body.error && typeof body.error.code === 'string') reason = `${body.error.code}: ${body.error.message}`;
    } catch {
      // Not JSON: the status says enough.
    }
    setStatus('failed', { reason });
    return;
  }
  spec = await response.json();
  form.hidden = true;
  document.querySelector('nav.filter').hidden = false;
  setStatus('loaded', { version: spec.info?.version ?? '' });
  render();
}

/** Follows a local `$ref` (`#/components/schemas/Deal`); other references stay as they are. */
function resolve(node) {
  let current = node;
  for (let hops = 0; current && typeof current.$ref === 'string' && hops < 20; hops += 1) {
    if (!current.$ref.startsWith('#/')) return current;
    let target = spec;
    for (const part of current.$ref.slice(2).split('/')) target = target?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (!target) return current;
    current = target;
  }
  return current;
}

function refName(node) {
  return node && typeof node.$ref === 'string' ? node.$ref.split('/').pop() : undefined;
}

function labelOf(node) {
  const labels = node?.['x-labels'];
  if (labels && typeof labels === 'object') return labels[language] ?? labels.en ?? labels.ja;
  return undefined;
}

/** A schema's type as one short text: `string (date) | null`, `enum`, `array of string`. */
function describeType(schema) {
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const named = types.filter((type) => type !== 'null');
  let text;
  if (named.includes('array') && schema.items) text = `array of ${describeType(resolve(schema.items))}`;
  else if (named.length > 0) text = named.join(' | ');
  else if (Array.isArray(schema.enum)) text = 'enum';
  else if (schema.const !== undefined) text = 'const';
  else if (refName(schema)) text = refName(schema);
  else text = t('anyJson');
  if (schema.format) text += ` (${schema.format})`;
  return text;
}

function isNullable(schema) {
  return (Array.isArray(schema.type) && schema.type.includes('null')) || (Array.isArray(schema.enum) && schema.enum.includes(null));
}

function constraintsOf(schema) {
  const parts = [];
  const pairs = [['minLength', 'min length'], ['maxLength', 'max length'], ['minimum', '≥'], ['exclusiveMinimum', '>'], ['maximum', '≤'], ['exclusiveMaximum', '<'], ['maxItems', 'max items'], ['pattern', 'pattern'], ['default', 'default']];
  for (const [key, label] of pairs) if (schema[key] !== undefined) parts.push(`${label} ${typeof schema[key] === 'string' ? schema[key] : JSON.stringify(schema[key])}`);
  if (schema.uniqueItems) parts.push('unique items');
  return parts;
}

/** Rows of a schema's fields, nested objects and array items flattened into dotted names. */
function fieldRows(schema, prefix, rows, depth) {
  const resolved = resolve(schema);
  const properties = resolved.properties ?? {};
  const required = new Set(Array.isArray(resolved.required) ? resolved.required : []);
  for (const [name, raw] of Object.entries(properties)) {
    const property = resolve(raw);
    const path = prefix ? `${prefix}.${name}` : name;
    rows.push({ path, schema: property, required: required.has(name), depth });
    if (depth < 4) {
      if (property.properties) fieldRows(property, path, rows, depth + 1);
      else if (property.items && resolve(property.items).properties) fieldRows(resolve(property.items), `${path}[]`, rows, depth + 1);
    }
  }
  return rows;
}

function badge(text, kind) {
  return h('span', { className: `badge ${kind}` }, text);
}

function schemaTable(schema) {
  const resolved = resolve(schema);
  const name = refName(schema);
  const rows = fieldRows(resolved, '', [], 0);
  const caption = name ? h('p', { className: 'schema-name' }, h('code', {}, name), resolved.title ? ` — ${resolved.title}` : '') : null;
  if (rows.length === 0) return h('div', { className: 'schema' }, caption, h('p', {}, h('code', {}, describeType(resolved))));
  return h('div', { className: 'schema' }, caption, h('table', { className: 'fields' },
    h('thead', {}, h('tr', {}, h('th', {}, t('field')), h('th', {}, t('type')), h('th', {}, t('description')))),
    h('tbody', {}, rows.map((row) => {
      const property = row.schema;
      const enumValues = Array.isArray(property.enum) ? property.enum : Array.isArray(property.items?.enum) ? property.items.enum : undefined;
      return h('tr', { 'data-field': row.path },
        h('td', {}, h('code', { className: `depth-${row.depth}` }, row.path)),
        h('td', {}, h('code', {}, describeType(property)), ' ',
          row.required ? badge(t('required'), 'required') : null,
          property.readOnly ? badge(t('readOnly'), 'read-only') : null,
          isNullable(property) ? badge(t('nullable'), 'nullable') : null),
        h('td', {},
          labelOf(property) ? h('strong', { className: 'label' }, labelOf(property)) : null,
          property.description ? h('span', { className: 'description' }, property.description) : null,
          enumValues ? h('div', { className: 'enum' }, `${t('values')}: `, enumValues.map((value, index) => [index > 0 ? ', ' : '', h('code', {}, value === null ? 'null' : String(value))])) : null,
          constraintsOf(property).length > 0 ? h('div', { className: 'constraints' }, constraintsOf(property).join(' · ')) : null));
    }))));
}

function parameterTable(parameters) {
  return h('table', { className: 'parameters' },
    h('thead', {}, h('tr', {}, h('th', {}, t('name')), h('th', {}, t('in')), h('th', {}, t('type')), h('th', {}, t('description')))),
    h('tbody', {}, parameters.map((raw) => {
      const parameter = resolve(raw);
      const schema = resolve(parameter.schema ?? {});
      return h('tr', {},
        h('td', {}, h('code', {}, parameter.name), parameter.required ? [' ', badge(t('required'), 'required')] : null),
        h('td', {}, parameter.in),
        h('td', {}, h('code', {}, describeType(schema)), constraintsOf(schema).length > 0 ? h('div', { className: 'constraints' }, constraintsOf(schema).join(' · ')) : null),
        h('td', {}, parameter.description ?? ''));
    })));
}

function jsonSchemaOf(content) {
  if (!content) return undefined;
  const json = content['application/json'] ?? Object.values(content)[0];
  return json?.schema;
}

function responseBlock(status, raw) {
  const response = resolve(raw);
  const schema = jsonSchemaOf(response.content);
  const isError = Number(status) >= 400;
  const codes = Array.isArray(response['x-error-codes']) ? response['x-error-codes'] : [];
  return h('div', { className: `response ${isError ? 'error' : 'success'}`, 'data-status': status },
    h('h5', {}, h('span', { className: 'status-code' }, status), ' ', response.description ?? ''),
    codes.length > 0 ? h('p', { className: 'codes' }, `${t('errorCodesHere')}: `, codes.map((code, index) => [index > 0 ? ', ' : '', h('a', { href: `#error-${code}` }, h('code', {}, code))])) : null,
    schema ? (isError && refName(schema) === 'Error' ? h('p', {}, h('a', { href: '#errors' }, h('code', {}, 'Error'))) : schemaTable(schema)) : h('p', { className: 'muted' }, t('noSchema')));
}

function operationsOf() {
  const operations = [];
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const method of methods) {
      const operation = item[method];
      if (!operation) continue;
      operations.push({ path, method, operation, parameters: [...(item.parameters ?? []), ...(operation.parameters ?? [])] });
    }
  }
  return operations;
}

function operationBlock(entry) {
  const { path, method, operation, parameters } = entry;
  const body = operation.requestBody ? resolve(operation.requestBody) : undefined;
  const bodySchema = body ? jsonSchemaOf(body.content) : undefined;
  const search = [method, path, operation.summary ?? '', operation.description ?? '', ...(operation.tags ?? [])].join(' ').toLowerCase();
  return h('details', { className: 'operation', 'data-testid': 'operation', 'data-search': search, 'data-method': method, 'data-path': path },
    h('summary', {}, h('span', { className: `method ${method}` }, method.toUpperCase()), ' ', h('code', { className: 'path' }, path), ' ', h('span', { className: 'summary' }, operation.summary ?? ''), operation.deprecated ? [' ', badge(t('deprecated'), 'deprecated')] : null),
    operation.description ? h('p', {}, operation.description) : null,
    parameters.length > 0 ? [h('h4', {}, t('parameters')), parameterTable(parameters)] : null,
    bodySchema ? [h('h4', {}, t('requestBody'), body.required ? [' ', badge(t('required'), 'required')] : null), schemaTable(bodySchema)] : null,
    h('h4', {}, t('responses')),
    Object.entries(operation.responses ?? {}).map(([status, response]) => responseBlock(status, response)));
}

function errorsSection() {
  const schema = spec.components?.schemas?.Error;
  if (!schema) return null;
  const codes = schema['x-error-codes'] ?? {};
  const enumCodes = resolve(schema).properties?.error?.properties?.code?.enum ?? Object.keys(codes);
  return h('section', { id: 'errors', className: 'errors', 'data-testid': 'errors' },
    h('h2', {}, t('errors')),
    h('p', {}, t('errorShape')),
    h('pre', {}, '{ "error": { "code": "…", "message": "…", "details": …, "requestId": "…" } }'),
    schemaTable({ $ref: '#/components/schemas/Error' }),
    h('table', { className: 'codes' },
      h('thead', {}, h('tr', {}, h('th', {}, t('code')), h('th', {}, t('status')), h('th', {}, t('description')))),
      h('tbody', {}, enumCodes.map((code) => h('tr', { id: `error-${code}` }, h('td', {}, h('code', {}, code)), h('td', {}, String(codes[code]?.status ?? '')), h('td', {}, codes[code]?.description ?? ''))))));
}

function render() {
  const container = document.querySelector('#reference');
  const operations = operationsOf();
  const declaredTags = Array.isArray(spec.tags) ? spec.tags : [];
  const tagNames = [...declaredTags.map((tag) => tag.name)];
  for (const entry of operations) for (const tag of entry.operation.tags ?? ['other']) if (!tagNames.includes(tag)) tagNames.push(tag);
  const sections = tagNames.map((name) => {
    const declared = declaredTags.find((tag) => tag.name === name) ?? {};
    const members = operations.filter((entry) => (entry.operation.tags ?? ['other']).includes(name));
    if (members.length === 0) return null;
    return h('section', { className: 'tag', 'data-testid': 'tag', 'data-tag': name, id: `tag-${name}` },
      h('h2', {}, labelOf(declared) ?? declared.description ?? name, ' ', h('code', { className: 'tag-name' }, name)),
      declared.description && !Object.values(declared['x-labels'] ?? {}).includes(declared.description) ? h('p', {}, declared.description) : null,
      members.map(operationBlock));
  });
  const children = [
    operations.length === 0 ? h('p', {}, t('noOperations')) : null,
    ...sections,
    h('p', { className: 'muted no-match', 'data-testid': 'no-match', hidden: true }, t('noMatch')),
    errorsSection(),
  ];
  container.replaceChildren(...children.filter(Boolean));
  applyFilter();
}

function applyFilter() {
  if (!spec) return;
  const input = document.querySelector('[data-testid="search"]');
  const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
  const operations = document.querySelectorAll('[data-testid="operation"]');
  let shown = 0;
  for (const operation of operations) {
    const text = operation.getAttribute('data-search') + ' ' + operation.textContent.toLowerCase();
    const visible = words.every((word) => text.includes(word));
    operation.hidden = !visible;
    if (visible) shown += 1;
  }
  for (const section of document.querySelectorAll('[data-testid="tag"]')) {
    section.hidden = ![...section.querySelectorAll('[data-testid="operation"]')].some((operation) => !operation.hidden);
  }
  document.querySelector('[data-testid="no-match"]').hidden = shown > 0 || operations.length === 0;
  document.querySelector('[data-testid="operation-count"]').textContent = t('count', { shown, total: operations.length });
}

document.querySelector('[data-testid="token-form"]').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = event.currentTarget.querySelector('input[name="token"]');
  const token = input.value.trim();
  input.value = '';
  if (token) sessionStorage.setItem(tokenKey, token);
  else sessionStorage.removeItem(tokenKey);
  void load();
});
document.querySelector('[data-testid="forget-token"]').addEventListener('click', () => {
  sessionStorage.removeItem(tokenKey);
  void load();
});
document.querySelector('[data-testid="search"]').addEventListener('input', applyFilter);
for (const button of document.querySelectorAll('[data-language]')) {
  button.addEventListener('click', () => {
    language = button.getAttribute('data-language');
    localStorage.setItem(languageKey, language);
    applyLanguage();
  });
}

applyLanguage();
void load();
