import { For, Match, Show, Switch } from 'solid-js';
import type { OutboxMessage } from '../../../shared/appointments';
import { appointmentsApi } from '../appointments';
import { ErrorState, Loading } from '../components/Field';
import { ShowMore } from '../components/States';
import { createPagedList } from '../paging';
import { formatDateTime } from '../time';

/** Where the local text queue has got with a text: waiting or retrying, sent, or given up on. */
function deliveryLabel(m: OutboxMessage): string {
  const tries = `${m.attempts} attempt${m.attempts === 1 ? '' : 's'}`;
  if (m.status === 'sent') return 'Sent';
  if (m.status === 'failed') return `Failed after ${tries}`;
  return m.attempts ? `Queued, retrying after ${tries}` : 'Queued';
}

/** Development only: the texts and emails the local platform stored instead of sending them. */
export default function DevOutbox() {
  const list = createPagedList((cursor) => appointmentsApi.outbox(cursor));
  return (
    <section aria-labelledby="outbox-title">
      <h1 id="outbox-title">Development outbox</h1>
      <p class="lead">
        Texts and emails (sign-up and verification codes) the local platform would have sent, newest first.
        Each text shows whether it is still queued, was sent, or failed every attempt. Nothing here leaves
        this machine.
      </p>
      <div class="button-row">
        <button type="button" class="secondary" disabled={list.loading()} onClick={() => void list.reload()}>
          Refresh
        </button>
      </div>
      <article class="card">
        <Switch>
          <Match when={list.loading()}>
            <Loading label="Loading messages…" />
          </Match>
          <Match when={list.error()}>
            <ErrorState message={list.error()!} onRetry={() => void list.reload()} />
          </Match>
          <Match when={list.items().length === 0}>
            <p class="empty">No messages yet.</p>
          </Match>
          <Match when={true}>
            <ol class="outbox">
              <For each={list.items()}>
                {(m) => (
                  <li class="message" data-kind={m.kind} data-channel={m.channel} data-status={m.status}>
                    <div class="appointment-head">
                      <span class={`status kind-${m.kind}`}>{m.kind}</span>
                      <Show when={m.status}>
                        {(status) => <span class={`status delivery-${status()}`}>{deliveryLabel(m)}</span>}
                      </Show>
                      <time datetime={m.createdAt}>{formatDateTime(m.createdAt)}</time>
                    </div>
                    <p class="muted">
                      {m.channel === 'email' ? 'Email' : 'Text'} to{' '}
                      {m.to || 'the patient (filled in when sent)'}
                    </p>
                    <p>{m.body}</p>
                  </li>
                )}
              </For>
            </ol>
            <ShowMore list={list} label="Show older messages" />
          </Match>
        </Switch>
      </article>
    </section>
  );
}
