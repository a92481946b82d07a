import type { VrfyAnswer } from '../../src-main/shared/schemas/smtp.ts';

const MARK: Record<VrfyAnswer['kind'], string> = {
  known: '✓',
  unknown: '✗',
  silent: '?',
  refused: '–',
  temporary: '…',
};

/** What the server said to VRFY (an address) or EXPN (a list), in words, with its own reply (issue 21). */
export function VrfyAnswers({ answers }: { answers: readonly VrfyAnswer[] }) {
  return (
    <ul className="vrfy-answers" aria-label="VRFY and EXPN answers">
      {answers.map((answer) => (
        <li key={answer.address} className={`vrfy-${answer.kind}`}>
          <span aria-hidden="true">{MARK[answer.kind]} </span>
          <strong>{answer.address}</strong>: {answer.title}. {answer.meaning}{' '}
          <span className="mono muted">({answer.reply})</span>
        </li>
      ))}
    </ul>
  );
}
