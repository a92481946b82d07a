import os from 'node:os';
import { fail } from '../../shared/errors.ts';
import type { OutboxItem } from '../../shared/schemas/outbox.ts';
import type { TranscriptLine } from '../../shared/schemas/smtp.ts';
import type { AccountService } from '../accounts/account-service.ts';
import { toItem } from '../outbox/outbox-record.ts';
import type { OutboxRepo } from '../outbox/outbox-repo.ts';
import type { Spool } from '../store/spool.ts';
import type { AttemptStore } from './attempt-store.ts';
import { transcriptAsJson, transcriptAsText } from './export.ts';
import type { LogQuery, LogSearch } from './log-search.ts';

export type ExportRequest = {
  outboxId: string;
  attemptId?: string | undefined;
  format: 'txt' | 'json' | 'eml';
  safe: boolean;
  hideHosts: boolean;
};
export type ExportedFile = { fileName: string; mimeType: string; content: string };

type LogsDeps = {
  repo: OutboxRepo;
  attempts: AttemptStore;
  accounts: AccountService;
  spool: Spool;
  search: LogSearch;
};

/** The logs: searching every message, a transcript, and exports of either (logs.*, attempts.transcript). */
export class LogsService {
  private readonly deps: LogsDeps;

  constructor(deps: LogsDeps) {
    this.deps = deps;
  }

  /** One page of messages matching the search and filters, newest first. */
  search(query: LogQuery): { items: OutboxItem[]; total: number } {
    const { ids, total } = this.deps.search.search(query);
    return { items: this.deps.repo.findMany(ids).map(toItem), total };
  }

  transcript(attemptId: string): TranscriptLine[] {
    if (!this.deps.attempts.exists(attemptId))
      fail('NOT_FOUND', 'That attempt no longer exists.', 'Refresh the message.');
    return this.deps.attempts.transcript(attemptId);
  }

  /** A transcript as .txt or .json (optionally safe to share), or the message itself as .eml. */
  export(request: ExportRequest): ExportedFile {
    const record = this.deps.repo.require(request.outboxId);
    const base = `posthorn-${record.id.slice(0, 8)}`;
    if (request.format === 'eml') return { fileName: `${base}.eml`, ...this.savedMessage(record.spoolFile) };
    const attempts = this.deps.attempts.listForOutbox(record.id);
    const attempt = request.attemptId ? attempts.find((a) => a.id === request.attemptId) : attempts[0];
    if (!attempt)
      fail('NOT_FOUND', 'This message has no attempt to export yet.', 'Wait until it has been tried, then export.');
    const account = record.accountId ? this.deps.accounts.find(record.accountId) : undefined;
    const context = {
      item: toItem(record),
      attempt,
      lines: this.deps.attempts.transcript(attempt.id),
      username: account?.username ?? '',
      host: account?.host ?? '',
      // nodemailer names this computer by its host name when the account sets no EHLO name.
      ehloName: account?.ehloName || os.hostname(),
    };
    const options = { safe: request.safe, hideHosts: request.safe && request.hideHosts };
    const name = `${base}-transcript${options.safe ? '-safe' : ''}`;
    return request.format === 'txt'
      ? { fileName: `${name}.txt`, mimeType: 'text/plain', content: transcriptAsText(context, options) }
      : { fileName: `${name}.json`, mimeType: 'application/json', content: transcriptAsJson(context, options) };
  }

  private savedMessage(spoolFile: string): Omit<ExportedFile, 'fileName'> {
    try {
      return { mimeType: 'message/rfc822', content: this.deps.spool.read(spoolFile).toString('utf8') };
    } catch {
      fail(
        'SPOOL_MISSING',
        'The saved copy of this message is missing: it is neither in the database nor in the spool folder.',
        'Nothing can be exported for it; the transcript can still be.',
      );
    }
  }
}
