import * as v from 'valibot';
import { createEffect, createSignal, For, Match, on, Show, Switch } from 'solid-js';
import {
  AUDIT_TRUNCATED_HEADER,
  AuditExportQuery,
  auditActionLabel,
  MAX_AUDIT_EXPORT_ROWS,
} from '../../../shared/audit';
import { fieldErrors } from '../../../shared/schemas';
import { ApiError, client } from '../api';
import { errorMessage } from '../appointments';
import { createPagedList } from '../paging';
import { formatDateTime } from '../time';
import { ErrorState, Field, Loading } from './Field';
import { ShowMore } from './States';

type Search = v.InferOutput<typeof AuditExportQuery>;

const utcDay = (offsetDays = 0) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
const ROLE_WORDS: Record<string, string> = { patient: 'patient', doctor: 'doctor', admin: 'admin' };

/** Saves a text as a file the browser downloads. */
function saveFile(text: string, fileName: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(url);
}

/**
 * The audit trail for auditors' questions: who did what to whose records, searched by patient or by
 * user over UTC days, newest first, with a CSV export of the same search. Ids and actions only.
 */
export function AuditTrail() {
  const [draft, setDraft] = createSignal({ patientId: '', actorId: '', from: utcDay(-6), to: utcDay() });
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [search, setSearch] = createSignal<Search>({ from: draft().from, to: draft().to });
  const [exporting, setExporting] = createSignal(false);
  const [exportNote, setExportNote] = createSignal<{ text: string; error?: boolean }>();

  const list = createPagedList((cursor) =>
    client.call('readAuditTrail', { query: { ...search(), limit: 50, cursor } }),
  );
  createEffect(on(search, () => void list.reload(), { defer: true }));

  const update = (name: keyof ReturnType<typeof draft>) => (e: { currentTarget: HTMLInputElement }) =>
    setDraft({ ...draft(), [name]: e.currentTarget.value });

  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    const d = draft();
    const input = Object.fromEntries(Object.entries(d).filter(([, value]) => value.trim() !== ''));
    const result = v.safeParse(AuditExportQuery, input);
    if (!result.success) {
      setErrors(fieldErrors(result.issues));
      return;
    }
    setErrors({});
    setExportNote(undefined);
    setSearch(result.output);
  };

  const exportCsv = async () => {
    setExporting(true);
    setExportNote(undefined);
    try {
      const res = await client.send('exportAuditTrail', { query: search() });
      if (res.status >= 400) {
        const error = res.json?.error;
        throw new ApiError(res.status, error?.code ?? 'unknown', error?.message ?? 'The export failed');
      }
      const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1];
      saveFile(res.text, name ?? 'audit.csv');
      setExportNote({
        text:
          res.headers.get(AUDIT_TRUNCATED_HEADER) === 'true'
            ? `Downloaded the newest ${MAX_AUDIT_EXPORT_ROWS.toLocaleString()} entries; narrow the dates for the rest.`
            : 'Downloaded the CSV file.',
      });
    } catch (err) {
      setExportNote({ text: errorMessage(err, 'The export failed. Please try again.'), error: true });
    } finally {
      setExporting(false);
    }
  };

  return (
    <article class="card" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit trail</h2>
      <p class="hint">
        Who did what to whose records, newest first. Days are UTC; at most 92 days per search. Ids only, no
        health data.
      </p>
      <form
        class="audit-filters"
        role="search"
        aria-label="Search the audit trail"
        onSubmit={submit}
        novalidate
      >
        <Field
          label="Patient id"
          name="audit-patient"
          value={draft().patientId}
          onInput={update('patientId')}
          error={errors().patientId}
          autocomplete="off"
        />
        <Field
          label="User id (who acted)"
          name="audit-actor"
          value={draft().actorId}
          onInput={update('actorId')}
          error={errors().actorId}
          autocomplete="off"
        />
        <Field
          label="From (UTC)"
          name="audit-from"
          type="date"
          value={draft().from}
          onInput={update('from')}
          error={errors().from}
          required
        />
        <Field
          label="To (UTC)"
          name="audit-to"
          type="date"
          value={draft().to}
          onInput={update('to')}
          error={errors().to}
          required
        />
        <div class="audit-actions">
          <button type="submit">Search</button>
          <button type="button" class="secondary" disabled={exporting()} onClick={() => void exportCsv()}>
            {exporting() ? 'Exporting…' : 'Export CSV'}
          </button>
        </div>
      </form>
      <Show when={exportNote()}>
        {(note) => (
          <p class={note().error ? 'error' : 'hint'} role={note().error ? 'alert' : 'status'}>
            {note().text}
          </p>
        )}
      </Show>
      <Switch>
        <Match when={list.loading()}>
          <Loading label="Loading the audit trail…" />
        </Match>
        <Match when={list.error()}>
          <ErrorState message={list.error()!} onRetry={() => void list.reload()} />
        </Match>
        <Match when={list.items().length === 0}>
          <p class="empty">Nothing was recorded for this search.</p>
        </Match>
        <Match when={true}>
          <ul class="audit-list" aria-label="Audit entries">
            <For each={list.items()}>
              {(entry) => (
                <li>
                  <time datetime={entry.at}>{formatDateTime(entry.at)}</time> ·{' '}
                  <strong>{auditActionLabel(entry.action)}</strong>
                  <span class="muted">
                    {' '}
                    by {entry.actorRole ? `${ROLE_WORDS[entry.actorRole]} ` : ''}
                    <code>{entry.actorId}</code>
                    <Show when={entry.patientId}>
                      {' '}
                      · patient <code>{entry.patientId}</code>
                    </Show>
                    <Show when={entry.targetId && entry.targetId !== entry.patientId}>
                      {' '}
                      · record <code>{entry.targetId}</code>
                    </Show>
                  </span>
                </li>
              )}
            </For>
          </ul>
          <ShowMore list={list} label="Load more" />
        </Match>
      </Switch>
    </article>
  );
}
