import type { Dispatch } from 'react';
import type { Account } from '../../../src-main/shared/schemas/accounts.ts';
import { Field } from '../../components/Field.tsx';
import type { ComposeAction } from './compose-reducer.ts';
import type { ComposeState } from './compose-state.ts';

type Props = {
  accounts: readonly Account[];
  state: Pick<ComposeState, 'accountId' | 'identityId'>;
  dispatch: Dispatch<ComposeAction>;
  error?: string | undefined;
};

/** Every identity of every account; choosing one swaps its signature in (see composeReducer). */
export function FromField({ accounts, state, dispatch, error }: Props) {
  const account = accounts.find((a) => a.id === state.accountId);
  const identity = account?.identities.find((i) => i.id === state.identityId) ?? account?.identities[0];
  return (
    <Field label="From" error={error}>
      <select
        value={`${state.accountId}|${identity?.id ?? ''}`}
        onChange={(e) => {
          const [accountId = state.accountId, identityId] = e.target.value.split('|');
          dispatch({ type: 'choose-from', accounts, accountId, identityId: identityId || null });
        }}
      >
        {accounts.flatMap((a) =>
          (a.identities.length > 0 ? a.identities : [{ id: '', fromName: a.name, fromAddress: a.email }]).map((i) => (
            <option key={`${a.id}|${i.id}`} value={`${a.id}|${i.id}`}>
              {i.fromName} &lt;{i.fromAddress}&gt;{a.name !== i.fromName ? ` — ${a.name}` : ''}
            </option>
          )),
        )}
      </select>
    </Field>
  );
}
