import * as v from 'valibot';
import { createEffect, createSignal, For, Match, on, Show, Switch } from 'solid-js';
import {
  AUDIT_ACTION_LABELS,
  AUDIT_TRUNCATED_HEADER,
  AuditExportQuery,
  auditActionLabel,
  auditOutcome,
  auditRoleLabel,
  auditSubject,
  MAX_AUDIT_EXPORT_ROWS,
  type AuditRow,
} from '../../../shared/audit';
import { fieldErrors } from '../../../shared/schemas';
import { ApiError, client } from '../api';
import { errorMessage } from '../appointments';
import { createPagedList } from '../paging';
import { addDays, browserTimeZone, dayKey, formatDateTime, viewerZoneName } from '../time';
import { ErrorState, Field, Loading, SelectField } from './Field';
import { ShowMore } from './States';

type Search = v.InferOutput<typeof AuditExportQuery>;
/** Whose entries are shown: the person who acted, or the patient whose records were touched. */
type Person = { kind: 'actorId' | 'patientId'; id: string; name: string };

const localDay = (offsetDays = 0) => dayKey(addDays(new Date(), offsetDays));
const ACTIONS = Object.entries(AUDIT_ACTION_LABELS).sort(([, a], [, b]) => a.localeCompare(b));

/** Saves a text as a file the browser downloads. */
function saveFile(text: string, fileName: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(url);
}

const actorWords = (row: AuditRow) =>
  row.actorName ?? (row.actorId === 'anonymous' ? 'Someone not signed in' : 'An unknown or erased account');

/**
 * The audit trail for auditors' questions, in words: who (name and role) did what, to whose records,
 * with what outcome, in the admin's time zone; searched by day range (the admin's days), action and
 * person (chosen from an entry), newest first, with a CSV export of the same search. The request id
 * and raw ids are one click away.
 */
export function AuditTrail() {
  const zone = browserTimeZone();
  const [draft, setDraft] = createSignal({ from: localDay(-6), to: localDay(), action: '' });
  const [person, setPerson] = createSignal<Person>();
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [search, setSearch] = createSignal<Search>({ from: draft().from, to: draft().to, zone });
  const [exporting, setExporting] = createSignal(false);
  const [exportNote, setExportNote] = createSignal<{ text: string; error?: boolean }>();

  const list = createPagedList((cursor) =>
    client.call('readAuditTrail', { query: { ...search(), limit: 50, cursor } }),
  );
  createEffect(on(search, () => void list.reload(), { defer: true }));

  const update =
    (name: keyof ReturnType<typeof draft>) => (e: { currentTarget: HTMLInputElement | HTMLSelectElement }) =>
      setDraft({ ...draft(), [name]: e.currentTarget.value });

  const apply = () => {
    const chosen = person();
    const input = {
      ...Object.fromEntries(Object.entries(draft()).filter(([, value]) => value.trim() !== '')),
      zone,
      ...(chosen ? { [chosen.kind]: chosen.id } : {}),
    };
    const result = v.safeParse(AuditExportQuery, input);
    if (!result.success) {
      setErrors(fieldErrors(result.issues));
      return;
    }
    setErrors({});
    setExportNote(undefined);
    setSearch(result.output);
  };
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    apply();
  };
  const choosePerson = (chosen: Person | undefined) => {
    setPerson(chosen);
    apply();
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
        Who did what to whose records, newest first. Days and times are {viewerZoneName()}; at most 92 days
        per search. Choose a name in an entry to see only that person's entries.
      </p>
      <form
        class="audit-filters"
        role="search"
        aria-label="Search the audit trail"
        onSubmit={submit}
        novalidate
      >
        <Field
          label="From"
          name="audit-from"
          type="date"
          value={draft().from}
          onInput={update('from')}
          error={errors().from}
          required
        />
        <Field
          label="To"
          name="audit-to"
          type="date"
          value={draft().to}
          onInput={update('to')}
          error={errors().to}
          required
        />
        <SelectField label="Action" name="audit-action" value={draft().action} onChange={update('action')}>
          <option value="">All actions</option>
          <For each={ACTIONS}>{([action, label]) => <option value={action}>{label}</option>}</For>
        </SelectField>
        <div class="audit-actions">
          <button type="submit">Search</button>
          <button type="button" class="secondary" disabled={exporting()} onClick={() => void exportCsv()}>
            {exporting() ? 'Exporting…' : 'Export CSV'}
          </button>
        </div>
      </form>
      <Show when={person()}>
        {(chosen) => (
          <p class="audit-person" role="status">
            {chosen().kind === 'actorId'
              ? `Only what ${chosen().name} did.`
              : `Only entries about ${chosen().name}'s records.`}{' '}
            <button type="button" class="link-button" onClick={() => choosePerson(undefined)}>
              Show everyone
            </button>
          </p>
        )}
      </Show>
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
              {(row) => (
                <li>
                  <p>
                    <time datetime={row.at}>{formatDateTime(row.at)}</time> ·{' '}
                    <strong>{auditActionLabel(row.action)}</strong>
                    <Show when={auditOutcome(row.action) === 'Refused'}>
                      {' '}
                      · <span class="audit-refused">Refused</span>
                    </Show>
                  </p>
                  <p class="muted">
                    By{' '}
                    <button
                      type="button"
                      class="link-button"
                      title="Show only what this person did"
                      onClick={() =>
                        choosePerson({ kind: 'actorId', id: row.actorId, name: actorWords(row) })
                      }
                    >
                      {actorWords(row)}
                    </button>
                    <Show when={row.actorRole}> ({auditRoleLabel(row.actorRole).toLowerCase()})</Show>
                    <Show when={auditSubject(row, zone)}>
                      {(subject) => (
                        <>
                          {' · '}
                          <Show when={row.patientId && row.patientName} fallback={subject()}>
                            <button
                              type="button"
                              class="link-button"
                              title="Show only entries about this patient's records"
                              onClick={() =>
                                choosePerson({
                                  kind: 'patientId',
                                  id: row.patientId!,
                                  name: row.patientName!,
                                })
                              }
                            >
                              {subject()}
                            </button>
                          </Show>
                        </>
                      )}
                    </Show>
                  </p>
                  <details>
                    <summary>Details</summary>
                    <dl class="audit-details">
                      <dt>Request id</dt>
                      <dd>
                        <code>{row.requestId ?? 'none (not made through the API)'}</code>
                      </dd>
                      <dt>Who acted (id)</dt>
                      <dd>
                        <code>{row.actorId}</code>
                      </dd>
                      <Show when={row.patientId}>
                        <dt>Patient (id)</dt>
                        <dd>
                          <code>{row.patientId}</code>
                        </dd>
                      </Show>
                      <Show when={row.targetId}>
                        <dt>Record (id)</dt>
                        <dd>
                          <code>{row.targetId}</code>
                        </dd>
                      </Show>
                    </dl>
                  </details>
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
