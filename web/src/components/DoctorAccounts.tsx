import { createEffect, createSignal, For, Match, on, Show, Switch } from 'solid-js';
import {
  DoctorAccountQuery,
  invitationOpen,
  type DoctorAccount,
  type DoctorAccountStatus,
} from '../../../shared/admin';
import * as v from 'valibot';
import { client } from '../api';
import { errorMessage } from '../appointments';
import { createPagedList } from '../paging';
import { formatDateTime } from '../time';
import { ErrorState, Field, FormError, Loading, SelectField } from './Field';
import { ShowMore } from './States';
import { TemporaryPassword } from './TemporaryPassword';

/** What the admin's last action on an account said; a temporary password is shown only here, once. */
export type AccountNotice =
  | { kind: 'deactivated'; doctor: DoctorAccount; upcomingAppointments: number }
  | { kind: 'reactivated'; doctor: DoctorAccount }
  | { kind: 'resent'; doctor: DoctorAccount; temporaryPassword?: string };

const STATUS_WORDS: Record<DoctorAccountStatus, string> = {
  active: 'Active',
  deactivated: 'Deactivated',
  all: 'All',
};

/**
 * The doctors' accounts: searched by name or specialty, by status, with their last sign-in; each can
 * be deactivated (after a confirmation that says what it does), reactivated, or — never signed in —
 * sent its invitation again. `onAction` is called as every action starts, so the page clears what the
 * previous one left on screen (a temporary password above all).
 */
export function DoctorAccounts(props: {
  /** Bumped by the page when a doctor was created, to reload the list. */
  version: number;
  notice?: AccountNotice;
  onAction: (notice?: AccountNotice) => void;
}) {
  const [text, setText] = createSignal('');
  const [status, setStatus] = createSignal<DoctorAccountStatus>('all');
  const [query, setQuery] = createSignal({ q: '', status: 'all' as DoctorAccountStatus });
  const [searchError, setSearchError] = createSignal<string>();
  const [pending, setPending] = createSignal<DoctorAccount>();
  const [busy, setBusy] = createSignal<string>();
  const [actionError, setActionError] = createSignal<string>();
  let dialog: HTMLDialogElement | undefined;

  const list = createPagedList((cursor) =>
    client.call('listDoctorAccounts', {
      query: { ...(query().q ? { q: query().q } : {}), status: query().status, limit: 20, cursor },
    }),
  );
  createEffect(on([query, () => props.version], () => void list.reload(), { defer: true }));

  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    props.onAction(undefined);
    const parsed = v.safeParse(DoctorAccountQuery, { q: text(), status: status() });
    if (!parsed.success) return setSearchError(parsed.issues[0].message);
    setSearchError(undefined);
    setQuery({ q: parsed.output.q ?? '', status: parsed.output.status });
  };

  /** Puts the changed account in place (or out, when the filter no longer holds it). */
  const replace = (doctor: DoctorAccount) => {
    const shown = query().status;
    const keep = shown === 'all' || (shown === 'deactivated') === !!doctor.deactivatedAt;
    list.setItems((items) =>
      keep
        ? items.map((item) => (item.doctorId === doctor.doctorId ? doctor : item))
        : items.filter((item) => item.doctorId !== doctor.doctorId),
    );
  };

  const act = async (doctor: DoctorAccount, run: () => Promise<AccountNotice>) => {
    props.onAction(undefined);
    setActionError(undefined);
    setBusy(doctor.doctorId);
    try {
      const notice = await run();
      replace(notice.doctor);
      props.onAction(notice);
    } catch (err) {
      setActionError(errorMessage(err, `Could not change ${doctor.name}'s account. Please try again.`));
    } finally {
      setBusy(undefined);
    }
  };
  const params = (doctor: DoctorAccount) => ({ doctorId: doctor.doctorId });
  const deactivate = (doctor: DoctorAccount) =>
    act(doctor, async () => {
      const answer = await client.call('deactivateDoctor', params(doctor));
      return { kind: 'deactivated', ...answer };
    });
  const reactivate = (doctor: DoctorAccount) =>
    act(doctor, async () => ({
      kind: 'reactivated',
      ...(await client.call('reactivateDoctor', params(doctor))),
    }));
  const resend = (doctor: DoctorAccount) =>
    act(doctor, async () => {
      const answer = await client.call('resendInvitation', params(doctor));
      return {
        kind: 'resent',
        doctor: answer.doctor,
        temporaryPassword:
          answer.invitation.delivery === 'shown' ? answer.invitation.temporaryPassword : undefined,
      };
    });

  const confirm = (doctor: DoctorAccount) => {
    props.onAction(undefined);
    setPending(doctor);
    dialog?.showModal();
  };

  return (
    <article class="card" aria-labelledby="doctors-title">
      <h2 id="doctors-title">Doctors</h2>
      <form class="doctor-filters" role="search" aria-label="Search doctors" onSubmit={submit} novalidate>
        <Field
          label="Name or specialty"
          name="doctor-search"
          value={text()}
          onInput={(e) => setText(e.currentTarget.value)}
          error={searchError()}
          autocomplete="off"
        />
        <SelectField
          label="Show"
          name="doctor-status"
          value={status()}
          onChange={(e) => setStatus(e.currentTarget.value as DoctorAccountStatus)}
        >
          <For each={Object.entries(STATUS_WORDS)}>
            {([value, label]) => <option value={value}>{label}</option>}
          </For>
        </SelectField>
        <button type="submit">Search</button>
      </form>
      <FormError message={actionError()} />
      <Show when={props.notice}>{(notice) => <Notice notice={notice()} />}</Show>
      <Switch>
        <Match when={list.loading()}>
          <Loading label="Loading doctors…" />
        </Match>
        <Match when={list.error()}>
          <ErrorState message={list.error()!} onRetry={() => void list.reload()} />
        </Match>
        <Match when={list.items().length === 0}>
          <p class="empty">No doctor matches this search.</p>
        </Match>
        <Match when={true}>
          <ul class="doctor-accounts" aria-label="Doctor accounts">
            <For each={list.items()}>
              {(doctor) => (
                <li aria-label={doctor.name}>
                  <p>
                    <strong>{doctor.name}</strong> · {doctor.specialty}
                    <br />
                    <span class="muted">{doctor.email}</span>
                  </p>
                  <p class="muted">
                    <span class={doctor.deactivatedAt ? 'status-off' : 'status-on'}>
                      {doctor.deactivatedAt
                        ? `Deactivated ${formatDateTime(doctor.deactivatedAt)}`
                        : 'Active'}
                    </span>
                    {' · '}
                    {doctor.lastSignInAt
                      ? `Last signed in ${formatDateTime(doctor.lastSignInAt)}`
                      : 'Has not signed in yet'}
                  </p>
                  <div class="button-row">
                    <Show
                      when={doctor.deactivatedAt}
                      fallback={
                        <button
                          type="button"
                          class="danger"
                          aria-haspopup="dialog"
                          disabled={busy() === doctor.doctorId}
                          onClick={() => confirm(doctor)}
                        >
                          Deactivate
                        </button>
                      }
                    >
                      <button
                        type="button"
                        class="secondary"
                        disabled={busy() === doctor.doctorId}
                        onClick={() => void reactivate(doctor)}
                      >
                        Reactivate
                      </button>
                    </Show>
                    <Show when={!doctor.deactivatedAt && invitationOpen(doctor)}>
                      <button
                        type="button"
                        class="secondary"
                        disabled={busy() === doctor.doctorId}
                        onClick={() => void resend(doctor)}
                      >
                        Send invitation again
                      </button>
                    </Show>
                  </div>
                </li>
              )}
            </For>
          </ul>
          <ShowMore list={list} label="More doctors" />
        </Match>
      </Switch>
      <dialog
        ref={(el) => (dialog = el)}
        class="confirm-dialog"
        aria-labelledby="deactivate-title"
        aria-describedby="deactivate-what"
      >
        <Show when={pending()}>
          {(doctor) => (
            <form
              method="dialog"
              onSubmit={(e) => {
                e.preventDefault();
                dialog?.close();
                void deactivate(doctor());
              }}
            >
              <h2 id="deactivate-title">Deactivate {doctor().name}?</h2>
              <ul id="deactivate-what">
                <li>They are signed out everywhere at once and can no longer sign in.</li>
                <li>Patients no longer find them in the doctor list.</li>
                <li>
                  Their booked visits stay booked: you will see how many lie ahead, so the practice can
                  arrange them with the patients.
                </li>
                <li>You can reactivate the account at any time.</li>
              </ul>
              <div class="button-row">
                <button type="submit" class="danger">
                  Deactivate {doctor().name}
                </button>
                <button type="button" class="secondary" onClick={() => dialog?.close()}>
                  Keep active
                </button>
              </div>
            </form>
          )}
        </Show>
      </dialog>
    </article>
  );
}

function Notice(props: { notice: AccountNotice }) {
  return (
    <Switch>
      <Match when={props.notice.kind === 'deactivated' && props.notice}>
        {(n) => (
          <div class="notice warning" role="status">
            <p>
              {n().doctor.name} is deactivated and signed out everywhere.{' '}
              {n().upcomingAppointments === 0
                ? 'They had no upcoming visits.'
                : `${n().upcomingAppointments} upcoming ${n().upcomingAppointments === 1 ? 'visit is' : 'visits are'} still booked with them: contact the patients to rearrange, or reactivate the account.`}
            </p>
          </div>
        )}
      </Match>
      <Match when={props.notice.kind === 'reactivated' && props.notice}>
        {(n) => (
          <div class="notice" role="status">
            <p>{n().doctor.name} can sign in again and is back in the doctor list.</p>
          </div>
        )}
      </Match>
      <Match when={props.notice.kind === 'resent' && props.notice}>
        {(n) => (
          <div class="notice" role="status">
            <p>
              {n().temporaryPassword
                ? `A new temporary password for ${n().doctor.name}; the previous one no longer works. Give it to them: they choose their own at first sign-in.`
                : `The invitation was emailed to ${n().doctor.name} again, with a new temporary password.`}
            </p>
            <Show when={n().temporaryPassword}>
              {(password) => <TemporaryPassword password={password()} />}
            </Show>
          </div>
        )}
      </Match>
    </Switch>
  );
}
