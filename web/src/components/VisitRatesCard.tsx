import { createResource, For, Show } from 'solid-js';
import { percentOf } from '../../../shared/rescue';
import { appointmentsApi, errorMessage } from '../appointments';
import { formatCalendarDate } from '../time';
import { ErrorState, Loading } from './Field';

const rate = (count: number, visits: number) => {
  const percent = percentOf(count, visits);
  return percent === undefined ? '–' : `${percent}% (${count})`;
};

/** The doctor's no-show and late-join rates per week, newest week first. */
export function VisitRatesCard() {
  const [rates, { refetch }] = createResource(() => appointmentsApi.rates());
  const any = () => rates()?.weeks.some((w) => w.visits > 0);
  return (
    <article class="card" aria-labelledby="rates-title">
      <h2 id="rates-title">No-shows and late joins</h2>
      <Show when={!rates.loading || rates.latest} fallback={<Loading label="Loading your weekly figures…" />}>
        <Show
          when={!rates.error}
          fallback={<ErrorState message={errorMessage(rates.error)} onRetry={() => void refetch()} />}
        >
          <Show
            when={any()}
            fallback={
              <p class="empty">No visits have started in the last {rates()?.weeks.length ?? 6} weeks.</p>
            }
          >
            <table class="rates">
              <caption class="muted">
                Per week, of the visits that reached their start time. A late join is a check-in more than{' '}
                {rates()!.lateJoinMinutes} minutes after the start.
              </caption>
              <thead>
                <tr>
                  <th scope="col">Week of</th>
                  <th scope="col">Visits</th>
                  <th scope="col">No-shows</th>
                  <th scope="col">Late joins</th>
                </tr>
              </thead>
              <tbody>
                <For each={rates()!.weeks}>
                  {(w) => (
                    <tr>
                      <th scope="row">{formatCalendarDate(w.week)}</th>
                      <td>{w.visits}</td>
                      <td>{rate(w.noShows, w.visits)}</td>
                      <td>{rate(w.lateJoins, w.visits)}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </Show>
        </Show>
      </Show>
    </article>
  );
}
