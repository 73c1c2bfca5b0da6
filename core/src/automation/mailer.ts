import nodemailer from 'nodemailer';

/** One e-mail to send. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** The same for every attempt of one step, so that receivers can drop a duplicate. */
  messageId: string;
  language?: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<{ messageId: string; response: string }>;
  close(): void;
}

/** Outgoing mail over SMTP (DAICHO_SMTP_URL). */
export function createMailer(options: { url: string; from: string }): Mailer {
  const transport = nodemailer.createTransport(options.url);
  return {
    async send(message) {
      const info = await transport.sendMail({
        from: options.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        messageId: message.messageId,
        ...(message.language ? { headers: { 'Content-Language': message.language } } : {}),
      });
      return { messageId: String(info.messageId), response: String(info.response) };
    },
    close: () => transport.close(),
  };
}
