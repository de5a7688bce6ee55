import { createEffect, createResource, createSignal, For, Match, on, Show, Switch } from 'solid-js';
import * as v from 'valibot';
import {
  BROWSER_FAMILIES,
  isoWeekOf,
  REPORT_KINDS,
  VisitQualityQuery,
  type QualityGroup,
  type VisitQualityReport as Report,
  type VisitQualityRow,
} from '../../../shared/visit-feedback';
import { fieldErrors } from '../../../shared/schemas';
import { client } from '../api';
import { createPagedList } from '../paging';
import { formatDateTime } from '../time';
import { feedbackApi } from '../visit-feedback';
import { ErrorState, Field, Loading, SelectField } from './Field';
import { ShowMore } from './States';

const BROWSER_NAMES: Record<string, string> = {
  chrome: 'Chrome',
  firefox: 'Firefox',
  safari: 'Safari',
  edge: 'Edge',
  other: 'Other',
};
const KIND_NAMES = { visit: 'Patient rating', technical: 'Doctor’s problem report', quality: 'Call quality' };
const PROBLEM_NAMES: Record<string, string> = {
  no_video: 'no video',
  no_audio: 'no audio',
  dropped: 'call dropped',
  poor_quality: 'poor quality',
  other: 'other',
};

const figure = (n: number | undefined, unit = '') => (n === undefined ? '–' : `${n}${unit}`);

function rowDetails(row: VisitQualityRow) {
  if (row.kind === 'visit') return `Visit ${row.visitRating}/5 · call ${row.callRating}/5`;
  if (row.kind === 'technical') return (row.problems ?? []).map((p) => PROBLEM_NAMES[p]).join(', ');
  const q = row.quality!;
  return [
    `${BROWSER_NAMES[q.browser]}${q.browserMajor ? ` ${q.browserMajor}` : ''}`,
    `RTT p95 ${figure(q.rttMs?.p95, ' ms')}`,
    `loss p95 ${figure(q.packetLossPercent?.p95, '%')}`,
    q.inboundVideo
      ? `${q.inboundVideo.widthP50}×${q.inboundVideo.heightP50}, ${q.inboundVideo.bitrateKbps.p50} kbit/s`
      : 'no video in',
    `${q.reconnects} reconnect${q.reconnects === 1 ? '' : 's'}`,
  ].join(' · ');
}

function GroupTable(props: {
  caption: string;
  keyLabel: string;
  groups: QualityGroup[];
  name: (key: string) => string;
}) {
  return (
    <div class="table-scroll">
      <table class="data-table">
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{props.keyLabel}</th>
            <th scope="col">Ratings</th>
            <th scope="col">Visit (avg)</th>
            <th scope="col">Call (avg)</th>
            <th scope="col">Problem reports</th>
            <th scope="col">Quality summaries</th>
            <th scope="col">Quality score (avg)</th>
            <th scope="col">RTT p95 (median)</th>
            <th scope="col">Loss p95 (median)</th>
          </tr>
        </thead>
        <tbody>
          <For each={props.groups}>
            {(g) => (
              <tr>
                <th scope="row">{props.name(g.key)}</th>
                <td>{g.ratings}</td>
                <td>{figure(g.averageVisitRating)}</td>
                <td>{figure(g.averageCallRating)}</td>
                <td>{g.technicalFlags}</td>
                <td>{g.summaries}</td>
                <td>{figure(g.averageQualityScore)}</td>
                <td>{figure(g.rttP95Median, ' ms')}</td>
                <td>{figure(g.packetLossP95Median, '%')}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}

/**
 * Feedback and call quality for admins: one ISO week at a time, by doctor and by browser, and every
 * submission worst first. Patients' comments are about the experience; viewing them is audited.
 */
export function VisitQualityReport() {
  const [draft, setDraft] = createSignal({
    week: isoWeekOf(Date.now()),
    doctorId: '',
    browser: '',
    kind: '',
  });
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [search, setSearch] = createSignal<Record<string, string>>({ week: draft().week });
  const [summary, setSummary] = createSignal<Report['summary']>();
  // Every doctor account, also those without hours or deactivated (the booking directory leaves them out).
  const [doctors] = createResource(() =>
    client.call('listDoctorAccounts', { query: { limit: 100, status: 'all' } }).then((page) => page.items),
  );
  const doctorName = (id: string) => doctors()?.find((d) => d.doctorId === id)?.name ?? id;

  const list = createPagedList(async (cursor) => {
    const page = await feedbackApi.report({ ...search(), limit: '25', cursor });
    if (!cursor) setSummary(page.summary);
    return page;
  });
  createEffect(on(search, () => void list.reload(), { defer: true }));

  const update = (name: keyof ReturnType<typeof draft>) => (e: { currentTarget: { value: string } }) =>
    setDraft({ ...draft(), [name]: e.currentTarget.value });

  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    const input = Object.fromEntries(Object.entries(draft()).filter(([, value]) => value.trim() !== ''));
    const result = v.safeParse(VisitQualityQuery, input);
    if (!result.success) return setErrors(fieldErrors(result.issues));
    setErrors({});
    setSearch(input);
  };

  return (
    <article class="card wide" aria-labelledby="quality-title">
      <h2 id="quality-title">Visit feedback and call quality</h2>
      <p class="hint">
        One week (UTC) at a time: patients’ ratings, doctors’ problem reports and each side’s measured call
        quality, worst first. Scores run from 1 (worst) to 5.
      </p>
      <form
        class="audit-filters"
        role="search"
        aria-label="Choose the week and filters"
        onSubmit={submit}
        novalidate
      >
        <Field
          label="Week"
          name="quality-week"
          type="week"
          value={draft().week}
          onInput={update('week')}
          error={errors().week}
          hint="For example 2026-W48"
          required
        />
        <SelectField
          label="Doctor"
          name="quality-doctor"
          value={draft().doctorId}
          onChange={update('doctorId')}
        >
          <option value="">All doctors</option>
          <For each={doctors() ?? []}>{(d) => <option value={d.doctorId}>{d.name}</option>}</For>
        </SelectField>
        <SelectField
          label="Browser"
          name="quality-browser"
          value={draft().browser}
          onChange={update('browser')}
        >
          <option value="">All browsers</option>
          <For each={BROWSER_FAMILIES}>{(b) => <option value={b}>{BROWSER_NAMES[b]}</option>}</For>
        </SelectField>
        <SelectField label="Kind" name="quality-kind" value={draft().kind} onChange={update('kind')}>
          <option value="">Everything</option>
          <For each={REPORT_KINDS}>{(k) => <option value={k}>{KIND_NAMES[k]}</option>}</For>
        </SelectField>
        <div class="audit-actions">
          <button type="submit">Show</button>
        </div>
      </form>
      <Switch>
        <Match when={list.loading()}>
          <Loading label="Loading feedback and call quality…" />
        </Match>
        <Match when={list.error()}>
          <ErrorState message={list.error()!} onRetry={() => void list.reload()} />
        </Match>
        <Match when={list.items().length === 0}>
          <p class="empty">No feedback or call-quality figures for this week and filters.</p>
        </Match>
        <Match when={true}>
          <Show when={summary()}>
            {(s) => (
              <>
                <GroupTable caption="The week" keyLabel="Week" groups={[s().week]} name={(k) => k} />
                <GroupTable caption="By doctor" keyLabel="Doctor" groups={s().byDoctor} name={doctorName} />
                <GroupTable
                  caption="By browser (from call-quality summaries)"
                  keyLabel="Browser"
                  groups={s().byBrowser}
                  name={(k) => BROWSER_NAMES[k] ?? k}
                />
                <Show when={s().truncated}>
                  <p class="hint">The figures cover the first 5,000 submissions of the week.</p>
                </Show>
              </>
            )}
          </Show>
          <h3>Worst first</h3>
          <ul class="quality-list" aria-label="Submissions, worst first">
            <For each={list.items()}>
              {(row) => (
                <li data-testid="quality-row">
                  <span class={`score score-${row.score}`}>Score {row.score}</span>{' '}
                  <strong>{KIND_NAMES[row.kind]}</strong>
                  <span class="muted">
                    {' '}
                    · {doctorName(row.doctorId)} · visit {formatDateTime(row.visitStart)} · by the {row.role}
                  </span>
                  <p>{rowDetails(row)}</p>
                  <Show when={row.comment ?? row.note}>{(text) => <blockquote>{text()}</blockquote>}</Show>
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
