import { createResource, createSignal, For, onCleanup, Show } from 'solid-js';
import { countryFromLocale, phoneFromInput, type CountryCode } from '../../../shared/phone';
import {
  GUEST_RELATION_LABELS,
  GUEST_RELATIONS,
  type GuestRelation,
  type GuestState,
} from '../../../shared/visit-pass';
import { client } from '../api';
import { errorMessage } from '../appointments';
import { realtime } from '../realtime';
import { formatTime } from '../time';
import { Field, FormError, SelectField } from './Field';
import { PhoneField } from './PhoneField';

/**
 * A visit's guest seat, on the patient's appointment card and the doctor's queue: invite one guest
 * (a text with a one-time link), see where they stand, agree (patient), admit (doctor) or remove.
 */
export function GuestSeat(props: { appointmentId: string; viewer: 'patient' | 'doctor' }) {
  const params = () => ({ appointmentId: props.appointmentId });
  const [guest, { refetch, mutate }] = createResource(
    async () => (await client.call('getGuest', params())).guest,
  );
  onCleanup(
    realtime.onFrame((frame) => {
      if (frame.type === 'appointment' && frame.appointment.appointmentId === props.appointmentId)
        void refetch();
    }),
  );
  const [inviting, setInviting] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const act = async (action: () => Promise<GuestState | null>) => {
    setError(undefined);
    try {
      mutate(await action());
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <div class="guest-seat" data-testid="guest-seat">
      <Show
        when={guest()}
        fallback={
          <Show when={!inviting()}>
            <button type="button" class="secondary" aria-expanded="false" onClick={() => setInviting(true)}>
              Invite a guest
            </button>
          </Show>
        }
      >
        {(g) => (
          <div class="inline-panel" role="group" aria-label="Guest">
            <p>
              <strong>Guest:</strong> {g().name} ({GUEST_RELATION_LABELS[g().relation]}) ·{' '}
              <span data-testid="guest-status">{guestStatus(g())}</span>
            </p>
            <div class="button-row">
              <Show when={props.viewer === 'patient' && !g().patientConsentAt}>
                <button
                  type="button"
                  onClick={() =>
                    void act(
                      async () => (await client.call('consentToGuest', params(), { consent: true })).guest,
                    )
                  }
                >
                  Agree to this guest joining
                </button>
              </Show>
              <Show
                when={props.viewer === 'doctor' && g().checkedInAt && g().patientConsentAt && !g().admittedAt}
              >
                <button
                  type="button"
                  onClick={() => void act(async () => (await client.call('admitGuest', params())).guest)}
                >
                  Admit guest
                </button>
              </Show>
              <button type="button" class="secondary" onClick={() => setInviting(true)}>
                Invite someone else
              </button>
              <button
                type="button"
                class="secondary"
                onClick={() =>
                  void act(async () => {
                    await client.call('removeGuest', params());
                    return null;
                  })
                }
              >
                Remove guest
              </button>
            </div>
          </div>
        )}
      </Show>
      <Show when={inviting()}>
        <InviteForm
          appointmentId={props.appointmentId}
          onClose={() => setInviting(false)}
          onInvited={(g) => {
            setInviting(false);
            mutate(g);
          }}
        />
      </Show>
      <FormError message={error()} />
    </div>
  );
}

function guestStatus(g: GuestState): string {
  if (g.admittedAt) return 'admitted';
  if (!g.patientConsentAt) return 'waiting for the patient to agree';
  if (g.checkedInAt) return `waiting since ${formatTime(g.checkedInAt)}`;
  return 'invited';
}

function InviteForm(props: {
  appointmentId: string;
  onClose: () => void;
  onInvited: (guest: GuestState) => void;
}) {
  const [name, setName] = createSignal('');
  const [relation, setRelation] = createSignal<GuestRelation>('interpreter');
  const [phone, setPhone] = createSignal('');
  const [country, setCountry] = createSignal<CountryCode>(countryFromLocale(navigator.language));
  const [errors, setErrors] = createSignal<Record<string, string | undefined>>({});
  const [busy, setBusy] = createSignal(false);

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const number = phoneFromInput({ number: phone(), country: country() });
    const problems = {
      ...(name().trim() ? {} : { name: 'Enter the guest’s name' }),
      ...(number.ok ? {} : { phone: number.message }),
    };
    setErrors(problems);
    if (Object.keys(problems).length || !number.ok) return;
    setBusy(true);
    try {
      const { guest } = await client.call(
        'inviteGuest',
        { appointmentId: props.appointmentId },
        { name: name().trim(), relation: relation(), phone: number.e164 },
      );
      props.onInvited(guest);
    } catch (err) {
      setErrors({ form: errorMessage(err, 'The invitation could not be sent') });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="inline-panel" onSubmit={submit} novalidate aria-label="Invite a guest">
      <p class="hint">
        One guest — an interpreter, a family member or a carer — joins by a one-time link we text them. They
        see and hear the visit, never your records.
      </p>
      <Field
        name={`guest-name-${props.appointmentId}`}
        label="Guest’s name"
        value={name()}
        onInput={(e) => setName(e.currentTarget.value)}
        error={errors().name}
      />
      <SelectField
        name={`guest-relation-${props.appointmentId}`}
        label="Who they are"
        value={relation()}
        onChange={(e) => setRelation(e.currentTarget.value as GuestRelation)}
      >
        <For each={GUEST_RELATIONS}>{(r) => <option value={r}>{GUEST_RELATION_LABELS[r]}</option>}</For>
      </SelectField>
      <PhoneField
        name={`guest-phone-${props.appointmentId}`}
        label="Guest’s mobile number"
        value={phone()}
        country={country()}
        onInput={setPhone}
        onCountry={setCountry}
        error={errors().phone}
      />
      <FormError message={errors().form} />
      <div class="button-row">
        <button type="submit" disabled={busy()}>
          {busy() ? 'Sending…' : 'Send invitation'}
        </button>
        <button type="button" class="secondary" onClick={() => props.onClose()}>
          Cancel
        </button>
      </div>
    </form>
  );
}
