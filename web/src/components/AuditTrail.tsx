import { createEffect, createSignal, For, Match, on, Switch } from 'solid-js';
import { client } from '../api';
import { createPagedList } from '../paging';
import { formatDateTime } from '../time';
import { ErrorState, Loading } from './Field';
import { ShowMore } from './States';

/** One UTC day of the audit trail: ids and actions only, never health data. */
export function AuditTrail() {
  const [day, setDay] = createSignal(new Date().toISOString().slice(0, 10));
  const list = createPagedList((cursor) =>
    client.call('readAuditTrail', { query: { day: day(), limit: 50, cursor } }),
  );
  createEffect(on(day, () => void list.reload(), { defer: true }));

  return (
    <article class="card" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit trail</h2>
      <div class="field">
        <label for="audit-day">Day (UTC)</label>
        <input
          id="audit-day"
          type="date"
          value={day()}
          onChange={(e) => e.currentTarget.value && setDay(e.currentTarget.value)}
        />
      </div>
      <Switch>
        <Match when={list.loading()}>
          <Loading label="Loading the audit trail…" />
        </Match>
        <Match when={list.error()}>
          <ErrorState message={list.error()!} onRetry={() => void list.reload()} />
        </Match>
        <Match when={list.items().length === 0}>
          <p class="empty">Nothing was recorded on this day.</p>
        </Match>
        <Match when={true}>
          <ul class="audit-list">
            <For each={list.items()}>
              {(entry) => (
                <li>
                  <time datetime={entry.at}>{formatDateTime(entry.at)}</time> ·{' '}
                  <strong>{entry.action}</strong>
                  <span class="muted">
                    {' '}
                    by {entry.actorId}
                    {entry.targetId ? ` on ${entry.targetId}` : ''}
                  </span>
                </li>
              )}
            </For>
          </ul>
          <ShowMore list={list} />
        </Match>
      </Switch>
    </article>
  );
}
