import type { FastifyReply } from 'fastify';
import { StatusApiError } from './status-errors';

/** A CSV to send: its body, the file name it is saved under (without `.csv`) and its caching headers. */
export interface CsvDownload {
  body: string;
  fileName: string;
  headers: Record<string, string>;
}

/**
 * Sends the CSV `work` makes as an attachment, or its coded refusal as RFC 9457 problem+json
 * (titled by status, the error's code and argument as members). Other errors are not ours to word.
 */
export async function sendCsvDownload(reply: FastifyReply, titles: Readonly<Record<number, string>>, work: () => Promise<CsvDownload>): Promise<void> {
  try {
    const { body, fileName, headers } = await work();
    await reply
      .header('content-type', 'text/csv; charset=utf-8; header=present')
      .header('content-disposition', `attachment; filename="${fileName.replace(/[^A-Za-z0-9_.-]/g, '_')}.csv"`)
      .headers(headers)
      .send(body);
  } catch (error) {
    if (!(error instanceof StatusApiError)) throw error;
    const status = error.statusCode ?? 400;
    await reply
      .code(status)
      .header('content-type', 'application/problem+json')
      .send({ type: 'about:blank', title: titles[status] ?? 'Bad request', status, detail: error.message, ...error.extensions });
  }
}
