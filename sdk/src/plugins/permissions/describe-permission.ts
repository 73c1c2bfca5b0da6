import type { PluginPermission } from '../contract.ts';
import { parsePermission } from './parse-permission.ts';

/**
 * The consent screen's languages.
 *
 * @example
 * const lang: ConsentLanguage = user.locale.startsWith('ja') ? 'ja' : 'en';
 */
export type ConsentLanguage = 'ja' | 'en';

/**
 * Readable text for the consent screen. `objectLabel` turns an object's API name into its label in
 * the language (the host knows the definitions); without it, the API name is shown.
 * Unparseable permissions are shown verbatim so that nothing is hidden from the admin.
 *
 * @example
 * describePermission('records.read:acme.inventory.product', 'en', () => 'Product'); // 'Read records of Product'
 * describePermission('http.fetch:https://api.example.com/*', 'en'); // 'Call https://api.example.com/…'
 * describePermission('mail.send', 'ja'); // 'メールを送信'
 */
export function describePermission(permission: PluginPermission, lang: ConsentLanguage, objectLabel?: (objectName: string) => string | undefined): string {
  const parsed = parsePermission(permission);
  if (!parsed) return permission;
  const ja = lang === 'ja';
  switch (parsed.kind) {
    case 'records.read': {
      const label = objectLabel?.(parsed.object) ?? parsed.object;
      return ja ? `「${label}」のレコードを参照` : `Read records of ${label}`;
    }
    case 'records.write': {
      const label = objectLabel?.(parsed.object) ?? parsed.object;
      return ja ? `「${label}」のレコードを作成・更新・削除` : `Create, update and delete records of ${label}`;
    }
    case 'http.fetch': {
      const host = parsed.pattern.wildcardHost ? `*.${parsed.pattern.host}` : parsed.pattern.host;
      const url = `https://${host}${parsed.pattern.path.replaceAll('*', '…')}`;
      return ja ? `外部サービス ${url} を呼び出す` : `Call ${url}`;
    }
    case 'mail.send':
      return ja ? 'メールを送信' : 'Send email';
    case 'kv':
      return ja ? 'プラグイン専用のデータを保存' : 'Store its own data';
    case 'schedule':
      return ja ? '決まった時刻に実行' : 'Run on a schedule';
  }
}
