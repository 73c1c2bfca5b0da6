/**
 * A message for `ctx.mail.send`; give `text`, `html` or both.
 *
 * @example
 * const message: SendMailOptions = { to: ['a@example.com'], subject: '受注', text: 'ORD-1' };
 */
export interface SendMailOptions {
  to: string | string[];
  subject: string;
  text?: string;
  html?: string;
}

/**
 * `ctx.mail`: sends e-mail through the workspace's mail settings; needs `mail.send`.
 *
 * @example
 * await ctx.mail.send({ to: 'owner@example.com', subject: 'New greeting', text: record.message });
 */
export interface MailApi {
  send(message: SendMailOptions): Promise<{ messageId: string }>;
}
