import { randomUUID } from 'node:crypto';
import { fail } from '../../shared/errors.ts';
import type { EnqueueInput, OutboxDetail, OutboxItem } from '../../shared/models.ts';
import { requireRecipients } from '../compose/addresses.ts';
import { freezeMessage } from '../compose/build-message.ts';
import type { OutboxContext } from './outbox-context.ts';
import { toItem } from './outbox-repo.ts';


export type OutboxDeps = OutboxContext & {
  /** Wakes the sender after something became due. */
  kick: () => void;
};

export class OutboxService {
  private readonly deps: OutboxDeps;

  constructor(deps: OutboxDeps) {
    this.deps = deps;
  }

  /**
   * Freezes the message (MIME built once, Message-ID and Date fixed), spools it durably and
   * then records the row; from the moment this returns the message survives a crash.
   */
  async enqueue(input: EnqueueInput): Promise<OutboxItem> {
    const { repo, spool, accounts, events, now } = this.deps;
    const account = accounts.require(input.accountId);
    const to = requireRecipients(input.to);
    const createdAt = now();
    // Issue 6 brings the identity picker; until then the account's first identity speaks.
    const identity = account.identities[0] ?? { fromName: account.name, fromAddress: account.email, replyTo: '' };
    const frozen = await freezeMessage({
      from: { name: identity.fromName, address: identity.fromAddress },
      replyTo: identity.replyTo || null,
      to,
      subject: input.subject,
      text: input.body,
      date: new Date(createdAt),
    });
    const id = randomUUID();
    const spoolFile = spool.write(id, frozen.raw);
    try {
      repo.insert({
        id,
        accountId: account.id,
        messageId: frozen.messageId,
        from: identity.fromAddress,
        envelopeFrom: frozen.envelope.from,
        to: frozen.envelope.to,
        subject: input.subject,
        spoolFile,
        size: frozen.raw.length,
        createdAt,
      });
    } catch (error) {
      spool.remove(spoolFile);
      throw error;
    }
    const item = this.get(id).item;
    events.emit({ name: 'outbox.changed', payload: { id, state: 'queued' } });
    this.deps.kick();
    return item;
  }

  list(): OutboxItem[] {
    return this.deps.repo.list().map(toItem);
  }

  get(id: string): OutboxDetail {
    const record = this.deps.repo.find(id);
    if (!record) fail('NOT_FOUND', 'That message is no longer in the outbox.', 'Refresh the outbox list.');
    return { item: toItem(record), attempts: this.deps.attempts.listForOutbox(id) };
  }

  transcript(attemptId: string) {
    if (!this.deps.attempts.exists(attemptId)) fail('NOT_FOUND', 'That attempt no longer exists.', 'Refresh the message.');
    return this.deps.attempts.transcript(attemptId);
  }
}
