import { A, useLocation } from '@solidjs/router';
import { createSignal, onCleanup, Show } from 'solid-js';
import type { Appointment } from '../../../shared/appointments';
import { ConsultationHistory } from '../components/ConsultationHistory';
import { ProfileSettings } from '../components/ProfileSettings';
import { Reveal, SkeletonCard } from '../components/Reveal';
import { UpcomingAppointments } from '../components/UpcomingAppointments';
import { realtime } from '../realtime';
import { profile } from '../session';
import { formatDateTime, viewerZoneName } from '../time';

export interface PatientHomeState {
  booked?: Appointment;
}

export default function PatientHome() {
  const location = useLocation<PatientHomeState>();
  // The "Booked" banner speaks of the booking as it was made; once the appointment moves or is
  // cancelled (here or in another tab) it gives way to the notice about the latest change.
  const [booked, setBooked] = createSignal(location.state?.booked);
  const changed = (a: Appointment) => {
    const shown = booked();
    if (shown?.appointmentId === a.appointmentId && (a.start !== shown.start || a.status === 'cancelled'))
      setBooked(undefined);
  };
  onCleanup(realtime.acquire());
  onCleanup(
    realtime.onFrame((frame) => {
      if (frame.type === 'appointment') changed(frame.appointment);
    }),
  );
  const [historyVersion, setHistoryVersion] = createSignal(0);
  return (
    <section aria-labelledby="patient-title">
      <h1 id="patient-title">Hello, {profile()?.name}</h1>
      <p class="lead">Times are shown in your time zone ({viewerZoneName()}).</p>
      <p class="help-link">
        <A href="/help/patient">Help: booking, check-in and video visits</A>
      </p>
      <div role="status">
        <Show when={booked()}>
          {(a) => (
            <p class="notice success">
              Booked: your video visit with {a().doctorName} on {formatDateTime(a().start)}.
            </p>
          )}
        </Show>
      </div>
      <Show when={profile()?.phone && !profile()?.phoneVerified}>
        <p class="notice">
          Confirm your phone to get text reminders. <a href="#phone-confirmation">Confirm it now</a>
        </p>
      </Show>
      <p>
        <A href="/patient/book" class="button">
          Book an appointment
        </A>
      </p>
      <Reveal
        fallback={
          <div class="dashboard">
            <div class="dashboard-main">
              <SkeletonCard title="Upcoming appointments" label="Loading your appointments…" items={2} />
              <SkeletonCard title="Consultation history" items={1} />
            </div>
            <div class="dashboard-side">
              <SkeletonCard title="Profile" items={1} class="profile-skeleton" />
            </div>
          </div>
        }
      >
        <div class="dashboard">
          <div class="dashboard-main">
            <UpcomingAppointments
              highlightId={booked()?.appointmentId}
              onHistoryChanged={() => setHistoryVersion((v) => v + 1)}
              onChanged={changed}
            />
            <ConsultationHistory version={historyVersion()} />
          </div>
          <div class="dashboard-side">
            <ProfileSettings />
          </div>
        </div>
      </Reveal>
    </section>
  );
}
