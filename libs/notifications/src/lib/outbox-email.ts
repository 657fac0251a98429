import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport, type Transporter } from 'nodemailer';
import { mailMessage, type EmailSender, type OutgoingEmail } from './email.channel';

export interface OutboxEmailSenderOptions {
  /** The directory messages are written to; made when missing. */
  dir: string;
  /** From header, e.g. `Case Status <no-reply@case-status.example>`. */
  from: string;
}

/** One message in the outbox, as `OutboxEmailSender.list` reads it back. */
export interface OutboxMessage {
  file: string;
  to: string;
  subject: string;
  /** The whole RFC 5322 message, as a mail client would receive it. */
  raw: string;
}

/**
 * Email for a machine with no mail server: each message is written to a directory as an
 * `.eml` file (the exact RFC 5322 message SMTP would carry), which any mail client or
 * `cat` can open. A message sent twice with the same Message-ID (after a crash) is written
 * once. The file appears whole: it is written under a temporary name and then renamed.
 */
export class OutboxEmailSender implements EmailSender {
  private readonly transport: Transporter;
  private counter = 0;

  constructor(private readonly options: OutboxEmailSenderOptions) {
    this.transport = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  async send(email: OutgoingEmail): Promise<void> {
    const info = await this.transport.sendMail(mailMessage(this.options.from, email));
    const raw = info.message as Buffer;
    await mkdir(this.options.dir, { recursive: true });
    const name = `${fileStamp(new Date())}-${safeName(email.messageId ?? `${process.pid}-${this.counter++}`)}.eml`;
    if (email.messageId && (await this.hasMessage(email.messageId))) return;
    const temporary = join(this.options.dir, `.${name}.partial`);
    await writeFile(temporary, raw);
    await rename(temporary, join(this.options.dir, name));
  }

  /** The messages in the outbox, oldest first. */
  async list(): Promise<OutboxMessage[]> {
    const files = (await readdir(this.options.dir).catch(() => [] as string[])).filter((f) => f.endsWith('.eml')).sort();
    return Promise.all(
      files.map(async (file) => {
        const raw = await readFile(join(this.options.dir, file), 'utf8');
        return { file, to: headerOf(raw, 'To'), subject: decodeEncodedWords(headerOf(raw, 'Subject')), raw };
      }),
    );
  }

  close(): void {
    this.transport.close();
  }

  private async hasMessage(messageId: string): Promise<boolean> {
    const suffix = `-${safeName(messageId)}.eml`;
    return (await readdir(this.options.dir)).some((file) => file.endsWith(suffix));
  }
}

/** Sorts in time order and is safe in a file name on every system. */
function fileStamp(at: Date): string {
  return at.toISOString().replace(/[:.]/g, '-');
}

function safeName(value: string): string {
  return value.replace(/[<>]/g, '').replace(/[^A-Za-z0-9._@-]/g, '_').slice(0, 120);
}

/** An unfolded header value (nodemailer folds long ones; encoded words are left as they are). */
function headerOf(raw: string, name: string): string {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const line = unfolded.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? line.slice(name.length + 1).trim() : '';
}

/** RFC 2047 encoded words (`=?UTF-8?Q?...?=`, `=?UTF-8?B?...?=`), as nodemailer writes non-ASCII headers. */
function decodeEncodedWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_match, _charset: string, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8'),
    );
}
