import { A } from '@solidjs/router';
import { For, Match, Switch } from 'solid-js';
import { appointmentsApi } from '../appointments';
import { ErrorState, Loading } from '../components/Field';
import { ShowMore } from '../components/States';
import { createPagedList } from '../paging';
import { formatDateTime } from '../time';

export default function DoctorPatients() {
  const list = createPagedList((cursor) => appointmentsApi.patients(cursor));
  return (
    <section aria-labelledby="patients-title">
      <h1 id="patients-title">Patients</h1>
      <p class="lead">Everyone who has or had an appointment with you.</p>
      <article class="card">
        <Switch>
          <Match when={list.loading()}>
            <Loading label="Loading your patients…" />
          </Match>
          <Match when={list.error()}>
            <ErrorState message={list.error()!} onRetry={() => void list.reload()} />
          </Match>
          <Match when={list.items().length === 0}>
            <p class="empty">No patients yet. Patients appear here once they book with you.</p>
          </Match>
          <Match when={true}>
            <ul class="patient-list">
              <For each={list.items()}>
                {(p) => (
                  <li>
                    <A href={`/doctor/patients/${encodeURIComponent(p.patientId)}`}>{p.patientName}</A>
                    <span class="muted">
                      Latest appointment:{' '}
                      <time datetime={p.lastAppointmentStart}>{formatDateTime(p.lastAppointmentStart)}</time>
                    </span>
                  </li>
                )}
              </For>
            </ul>
            <ShowMore list={list} label="Show more patients" />
          </Match>
        </Switch>
      </article>
    </section>
  );
}
