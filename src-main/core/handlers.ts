import { randomUUID } from 'node:crypto';
import type { Contract } from '../shared/contract.ts';
import type { Handlers } from '../shared/dispatch.ts';
import { fail } from '../shared/errors.ts';
import type { Attachment } from '../shared/schemas/compose.ts';
import { importMessageFile } from './compose/message-import.ts';
import { plainTextOf } from './compose/plain-text.ts';
import type { CoreOptions } from './create-core.ts';
import type { AppLog } from './logs/app-log.ts';
import type { Services } from './services.ts';

/** What answers each call of the contract: one line each, the work is in the services. */
export function contractHandlers(
  s: Services,
  options: CoreOptions,
  version: string,
  log: Pick<AppLog, 'write'>,
): Handlers<Contract> {
  return {
    'app.info': () => ({
      version,
      mode: options.mode,
      dataDir: options.dataDir,
      secretBackend: options.secrets.backend,
    }),
    'app.reportError': (input) => {
      log.write('error', `page: ${input.view.replace(/[^\w -]/g, '')}`, `${input.message}\n${input.stack}`.trim());
      return { logged: true };
    },
    'app.wake': () => {
      s.sender.wake();
      return { woke: true };
    },
    'accounts.list': () => s.accounts.list(),
    'accounts.check': (input) => s.accounts.check(input),
    'accounts.save': (input) => s.accounts.save(input),
    'accounts.delete': (input) => s.accounts.delete(input.id, input.queuedMail),
    'accounts.duplicate': (input) => s.accounts.duplicate(input.id),
    'accounts.autoconfig': (input) => s.accounts.autoconfig(input.email),
    'accounts.test': (input) => s.accounts.test(input),
    'accounts.signInStart': (input) => s.oauth.start(input.provider, input.loginHint),
    'accounts.signInFinish': (input) => s.oauth.finish(input.signInId),
    'accounts.signInCancel': (input) => ({ cancelled: s.oauth.cancel(input.signInId) }),
    'outbox.enqueue': (input) => s.outbox.enqueue(input),
    'outbox.list': () => s.outbox.list(),
    'outbox.get': (input) => s.outbox.get(input.id),
    'outbox.undo': (input) => s.outbox.undo(input.id),
    'outbox.retryNow': (input) => s.outbox.retryNow(input.id),
    'outbox.cancel': (input) => s.outbox.cancel(input.id),
    'outbox.resend': (input) => s.outbox.resend(input.id),
    'outbox.markSent': (input) => s.outbox.markSent(input.id),
    'logs.search': (input) => s.logs.search(input),
    'logs.export': (input) => s.logs.export(input),
    'attempts.transcript': (input) => s.logs.transcript(input.attemptId),
    'drafts.save': (input) => s.drafts.save(input.id ?? randomUUID(), input.content, s.now()),
    'drafts.list': () => s.drafts.list(),
    'drafts.get': (input) =>
      s.drafts.get(input.id) ??
      fail('NOT_FOUND', 'That draft is no longer there.', 'It was sent or discarded; refresh the drafts list.'),
    'drafts.delete': (input) => ({ deleted: s.drafts.remove(input.id) }),
    'drafts.importFile': (input) =>
      importMessageFile(input.path, {
        attachments: s.attachments,
        drafts: s.drafts,
        accounts: () => s.accountRepo.list(),
        now: s.now,
      }),
    'attachments.addPaths': async (input) => {
      // One at a time, each streamed. A file that fails ends the call; copies made before it are
      // removed by the start-up sweep, since no draft or message refers to them.
      const added: Attachment[] = [];
      for (const file of input.files) added.push(await s.attachments.addPath(file.path, file));
      return added;
    },
    'attachments.remove': (input) => ({ removed: s.attachments.remove(input.id) }),
    'attachments.preview': (input) => s.attachments.preview(input.id),
    'compose.check': (input) => s.compose.check(input),
    'compose.preview': (input) => s.compose.preview(input),
    // No line wrapping: the composer's text area wraps as the window does.
    'compose.plainText': (input) => ({ text: plainTextOf(input.html, false).trimEnd() }),
    'compose.dryRun': ({ vrfy, ...input }) => s.compose.dryRun(input, vrfy),
    'compose.recipients': (input) => s.recipients.suggest(input.prefix),
    'settings.get': () => s.settings.get(),
    'settings.save': (input) => {
      const saved = s.settings.save(input);
      s.sender.kick(); // a higher connection limit is used at once
      return saved;
    },
  };
}
