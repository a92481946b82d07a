import { randomUUID } from 'node:crypto';
import { appError, fail } from '../../shared/errors.ts';
import { draftContentSchema, type DraftContent } from '../../shared/schemas/compose.ts';
import type { EnqueueInput, OutboxDetail, OutboxItem, OutboxState } from '../../shared/schemas/outbox.ts';
import { envelopeOf, freezeMessage, isLarge, messageStream, newMessageId } from '../compose/build-message.ts';
import type { ComposeService } from '../compose/compose-service.ts';
import type { DraftRepo } from '../compose/draft-repo.ts';
import { legsByDomain } from '../direct/legs.ts';
import { durably } from '../store/database.ts';
import type { SpoolEntry } from '../store/spool.ts';
import { EnqueueBatch } from './enqueue-batch.ts';
import type { OutboxContext } from './outbox-context.ts';
import { toItem } from './outbox-record.ts';

export type OutboxDeps = OutboxContext & {
  compose: ComposeService;
  drafts: DraftRepo;
  /** Wakes the sender after something became due. */
  kick: () => void;
  /** A message for this account was handed in, due at `dueAt`: its connection may be opened now. */
  warm: (accountId: string, messageId: string, dueAt: number) => void;
  /** How long a message queued now keeps retrying (the person's setting, read at each enqueue). */
  lifetimeMs: () => number;
  /** The undo delay when the call names none (the person's setting). */
  undoSeconds: () => number;
};

/** Undo found a leg already on its way: the whole transaction is rolled back. */
const TOO_LATE = new Error('too late to undo');

export class OutboxService {
  private readonly deps: OutboxDeps;

  private readonly batch: EnqueueBatch;

  constructor(deps: OutboxDeps) {
    this.deps = deps;
    this.batch = new EnqueueBatch(deps.db, deps.spool);
  }

  /**
   * Freezes the message (MIME built once, Message-ID and Date fixed), spools it durably and
   * then records the row (together with other messages enqueued at the same moment: see
   * EnqueueBatch); from the moment this returns the message survives a crash. It goes
   * after the undo delay, or at the send-later time.
   */
  async enqueue(input: EnqueueInput): Promise<OutboxItem> {
    const { repo, now } = this.deps;
    const createdAt = now();
    if (input.sendAt !== undefined && input.sendAt < createdAt - 60_000)
      fail('BAD_INPUT', 'sendAt: That time has already passed.', 'Choose a time in the future, or send now.');
    const { account, message, draft } = this.deps.compose.resolve(input, new Date(input.sendAt ?? createdAt));
    const id = randomUUID();
    const notBefore = input.sendAt ?? createdAt + (input.undoSeconds ?? this.deps.undoSeconds()) * 1000;
    const direct = input.route === 'direct';
    // Connect and log in while the message is frozen and saved, and while the undo delay runs.
    if (!direct) this.deps.warm(account.id, id, notBefore);
    const messageId = newMessageId(message.from);
    const envelope = envelopeOf(message);
    // Direct delivery: one leg per recipient domain, each a message of its own in the outbox
    // (its own transcript, state and retries), all with the same bytes and Message-ID.
    const legs = direct ? legsByDomain(envelope.to, id) : [{ id, domain: null, to: envelope.to }];
    // Small messages are built in memory (and direct legs share those bytes); with attachments
    // the MIME is streamed to the spool.
    let spooled: SpoolEntry;
    let size: number;
    if (isLarge(message) && !direct) {
      const staged = await this.deps.spool.stage(id, messageStream(message, messageId).stream);
      spooled = { id, staged: staged.staged };
      size = staged.size;
    } else {
      const { raw } = await freezeMessage(message, messageId);
      spooled = { id, bytes: raw };
      size = raw.length;
    }
    await Promise.all(
      legs.map((leg, index) =>
        this.batch.submit({
          ...(leg.id === id ? spooled : { id: leg.id, bytes: (spooled as { bytes: Buffer }).bytes }),
          record: (spoolFile) => {
            repo.insert({
              id: leg.id,
              accountId: account.id,
              messageId,
              from: message.from.address,
              envelopeFrom: envelope.from,
              to: leg.to,
              subject: input.subject,
              spoolFile,
              size,
              createdAt,
              notBefore,
              expiresAt: Math.max(notBefore, createdAt) + this.deps.lifetimeMs(),
              draft: index === 0 ? draft : null,
              dsn: input.dsn.success || input.dsn.failure ? input.dsn : null,
              route: direct ? 'direct' : 'account',
              legDomain: leg.domain,
              legOf: direct ? id : null,
            });
            this.deps.search.addMessage(leg.id, input.subject, [message.from.address, ...leg.to]);
            // The draft it was written in goes in the same commit: never both, never neither.
            if (index === 0 && input.draftId) this.deps.drafts.remove(input.draftId);
          },
        }),
      ),
    );
    for (const leg of legs) this.changed(leg.id, 'queued');
    const record = repo.find(id);
    if (!record) fail('STORE', 'The message was queued but could not be read back.', 'Look for it in the Outbox.');
    return toItem(record);
  }

  /**
   * The Outbox view: what is on its way or needs attention, and what finished in the last hour. Sent mail is paged
   * through logs.search.
   */
  list(): OutboxItem[] {
    return this.deps.repo.listActive(this.deps.now() - 60 * 60 * 1000).map(toItem);
  }

  get(id: string): OutboxDetail {
    const record = this.deps.repo.require(id);
    return {
      item: toItem(record),
      attempts: this.deps.attempts.listForOutbox(id),
      draft: this.deps.repo.draft(record.legOf ?? id),
      legs: record.legOf ? this.deps.repo.legs(record.legOf).map(toItem) : [],
    };
  }

  /** Undo send: before the first attempt, the message leaves the outbox and returns to the composer. */
  undo(id: string): DraftContent {
    const record = this.deps.repo.require(id);
    const { repo, spool, db, now } = this.deps;
    // A direct delivery is taken back whole: every leg, or none (one may have gone already).
    const all = record.legOf ? repo.legs(record.legOf) : [record];
    const draft = repo.draft(record.legOf ?? id);
    let removed = true;
    try {
      durably(db, () => {
        for (const leg of all) {
          // Thrown, not returned: the legs already taken back in this transaction are rolled back.
          if (leg.attemptCount > 0 || !repo.transition(leg.id, ['queued'], 'cancelled', now())) throw TOO_LATE;
          this.deps.search.removeMessage(leg.id);
          repo.remove(leg.id);
          spool.dropInline(leg.spoolFile);
        }
      });
    } catch (error) {
      if (error !== TOO_LATE) throw error;
      removed = false;
    }
    if (!removed)
      fail(
        'CONFLICT',
        all.length > 1
          ? 'Too late to undo: Posthorn has already started delivering this message to one of its domains.'
          : 'Too late to undo: Posthorn has already started sending this message.',
        'Open it in the Outbox to see what happened.',
      );
    for (const leg of all) {
      spool.removeFile(leg.spoolFile);
      this.changed(leg.id, 'cancelled');
    }
    return (
      draft ??
      draftContentSchema.parse({
        accountId: record.accountId,
        to: record.to.join(', '),
        subject: record.subject,
        body: '',
      })
    );
  }

  retryNow(id: string): OutboxItem {
    const record = this.deps.repo.require(id);
    // Only recipients not refused for good are tried again; with none left there is nothing to try.
    if ((record.state === 'failed' || record.state === 'deferred') && record.pending.length === 0)
      fail(
        'CONFLICT',
        'There is nobody left to send this message to: every recipient was refused for good.',
        'Use "Edit as new" to correct the addresses and send it again.',
        { refused: record.rejected.length },
      );
    return this.move(
      id,
      ['deferred', 'failed'],
      'queued',
      'Only a message that is waiting to retry, or failed, can be retried now.',
      { nextAttemptAt: this.deps.now() },
      true,
    );
  }

  cancel(id: string): OutboxItem {
    return this.move(
      id,
      ['queued', 'deferred'],
      'cancelled',
      'Only a message that has not been sent yet can be cancelled.',
      {
        nextAttemptAt: null,
        lastError: appError('CONFLICT', 'Cancelled by you.', 'Use "Edit as new" to send it after all.'),
      },
    );
  }

  /**
   * Uncertain: the person decided it did not arrive. Same bytes, same Message-ID, so a receiver can spot a
   * duplicate.
   */
  resend(id: string): OutboxItem {
    return this.move(
      id,
      ['uncertain'],
      'queued',
      'Only an uncertain message is resent this way.',
      { nextAttemptAt: this.deps.now(), lastError: null },
      true,
    );
  }

  /** Uncertain: the person confirmed it arrived. */
  markSent(id: string): OutboxItem {
    return this.move(id, ['uncertain'], 'sent', 'Only an uncertain message can be marked as sent.', {
      lastReply: 'Marked as sent by you (the server never confirmed it).',
      lastError: null,
      nextAttemptAt: null,
    });
  }

  private move(
    id: string,
    from: readonly OutboxState[],
    to: OutboxState,
    refusal: string,
    extra: Parameters<OutboxContext['repo']['transition']>[4],
    kick = false,
  ): OutboxItem {
    const record = this.deps.repo.require(id);
    if (!durably(this.deps.db, () => this.deps.repo.transition(id, from, to, this.deps.now(), extra))) {
      fail('CONFLICT', `${refusal} This one is ${record.state}.`, 'Refresh the Outbox to see where it stands.');
    }
    this.changed(id, to);
    if (kick) this.deps.kick();
    return toItem(this.deps.repo.require(id));
  }

  private changed(id: string, state: OutboxState): void {
    this.deps.events.emit({ name: 'outbox.changed', payload: { id, state } });
    if (state === 'queued') this.deps.kick();
  }
}
