import { A, useNavigate, useParams } from '@solidjs/router';
import { createEffect, createResource, createSignal, For, Match, onCleanup, Show, Switch } from 'solid-js';
import type { Appointment } from '../../../shared/appointments';
import { client } from '../api';
import { appointmentsApi, errorMessage, notesPath } from '../appointments';
import { mediaErrorMessage } from '../call/media';
import { describePresence, initialPresence, presence, type PresenceEvent } from '../call/presence';
import type { CallSession } from '../call/types';
import { ChatPanel } from '../components/ChatPanel';
import { ErrorState, Loading } from '../components/Field';
import { liveApi } from '../live';
import { realtime } from '../realtime';
import { homeFor, profile } from '../session';
import { visitProblem, type VisitProblem } from '../visit-errors';

const QUALITY_LABEL = {
  good: 'Good connection',
  fair: 'Fair connection',
  poor: 'Poor connection',
  unknown: 'Measuring connection…',
};
const STATE_LABEL = {
  connecting: 'Connecting…',
  'waiting-for-peer': 'Waiting for the other person to join…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  ended: 'The visit has ended',
  failed: 'The call could not be connected',
};

/** The video call with chat beside it, for the appointment's doctor and patient. */
export default function CallPage() {
  const params = useParams();
  const navigate = useNavigate();
  const release = realtime.acquire();
  onCleanup(release);
  const [session, setSession] = createSignal<CallSession>();
  const [appointment] = createResource(() => liveApi.appointment(params.appointmentId!));
  const [startFailure, setStartFailure] = createSignal<{ error: unknown }>();
  // Worded when shown, so the opening time appears once the appointment has loaded.
  const startError = (): VisitProblem | undefined => {
    const failure = startFailure();
    if (!failure) return undefined;
    if (failure.error instanceof DOMException)
      return { message: mediaErrorMessage(failure.error), permanent: false };
    return visitProblem(failure.error, appointment.state === 'ready' ? appointment() : undefined);
  };
  const [ended, setEnded] = createSignal(false);
  const [recordingNote, setRecordingNote] = createSignal<string>();
  const [provider, setProvider] = createSignal<'p2p' | 'twilio'>();
  const isDoctor = () => profile()?.role === 'doctor';
  const otherName = () => (isDoctor() ? appointment()?.patientName : appointment()?.doctorName) ?? '';

  // Where the other person is: peer frames, the media connection and stalled media, on a clock.
  const [peerPresence, setPeerPresence] = createSignal(initialPresence(Date.now()));
  const [now, setNow] = createSignal(Date.now());
  const feed = (event: PresenceEvent) => setPeerPresence((s) => presence(s, event));
  const ticker = setInterval(() => {
    setNow(Date.now());
    feed({ type: 'tick', at: Date.now() });
  }, 1000);
  onCleanup(() => clearInterval(ticker));
  createEffect(() => {
    const call = session();
    if (call) feed({ type: 'call-state', state: call.state(), at: Date.now() });
  });
  createEffect(() => {
    const stalled = session()?.mediaStalled?.();
    if (stalled !== undefined) feed({ type: 'media-stalled', stalled, at: Date.now() });
  });
  const presenceView = () => describePresence(peerPresence(), otherName(), now());
  // Closing the tab is a deliberate leave too: say so while the socket is still there.
  const onPageHide = () => session()?.leave('closed');
  window.addEventListener('pagehide', onPageHide);
  onCleanup(() => window.removeEventListener('pagehide', onPageHide));

  let disposed = false;
  const [endError, setEndError] = createSignal<string>();

  const start = async () => {
    setStartFailure(undefined);
    // Never two sessions: a retry first leaves whatever is left of the previous one.
    session()?.leave();
    setSession(undefined);
    try {
      const join = await liveApi.join(params.appointmentId!);
      setProvider(join.provider);
      const call =
        join.provider === 'p2p'
          ? await (await import('../call/p2p')).startP2PCall(params.appointmentId!, join)
          : await (await import('../call/twilio')).startTwilioCall(params.appointmentId!, join);
      // The page may have been left while the camera was starting.
      if (disposed) return call.leave();
      setSession(call);
    } catch (err) {
      setStartFailure({ error: err });
    }
  };
  void start();
  onCleanup(() => {
    disposed = true;
    session()?.leave();
  });

  onCleanup(
    realtime.onFrame((frame) => {
      if (frame.type === 'call.ended' && frame.appointmentId === params.appointmentId) setEnded(true);
      if (frame.type === 'peer' && frame.appointmentId === params.appointmentId)
        feed({ type: 'frame', frame, at: Date.now() });
      if (frame.type === 'recording' && frame.appointmentId === params.appointmentId) {
        setRecordingNote(frame.active ? 'Recording is on (both of you agreed).' : 'Recording is off.');
      }
    }),
  );

  const leave = () => {
    session()?.leave('left');
    navigate(homeFor(profile()?.role ?? 'patient'));
  };

  const endForBoth = async () => {
    setEndError(undefined);
    try {
      await liveApi.end(params.appointmentId!);
      setEnded(true);
      session()?.leave();
      // The next thing a doctor does after a visit is write it up.
      const a = appointment.state === 'ready' ? appointment() : undefined;
      if (isDoctor() && a) navigate(notesPath(a));
    } catch (err) {
      setEndError(errorMessage(err, 'The visit could not be ended. Try again.'));
    }
  };

  const [sharedSummary] = createResource(
    () => (ended() && !isDoctor() ? params.appointmentId : undefined),
    (id) => appointmentsApi.notes(id).catch(() => undefined),
  );
  const home = () => homeFor(profile()?.role ?? 'patient');

  return (
    <section aria-labelledby="call-title" class="call-page">
      <h1 id="call-title" class="sr-only">
        Video visit
      </h1>
      <Switch>
        <Match when={ended()}>
          <article class="card narrow">
            <h2>The visit has ended</h2>
            <Show
              when={isDoctor()}
              fallback={
                <>
                  <p>
                    Thank you. The chat transcript is in your consultation history, and the visit summary will
                    be there once {appointment.state === 'ready' ? appointment()!.doctorName : 'your doctor'}{' '}
                    shares it.
                  </p>
                  <Show when={sharedSummary()?.summaryShared}>
                    <p>
                      <A href={`/patient?summary=${encodeURIComponent(params.appointmentId!)}`}>
                        Read the visit summary
                      </A>
                    </p>
                  </Show>
                  <A href={home()} class="button">
                    Back to your dashboard
                  </A>
                </>
              }
            >
              <p>
                Write your notes and the summary for {otherName() || 'the patient'} while the visit is fresh.
              </p>
              <div class="button-row">
                <Show when={appointment.state === 'ready'}>
                  <A href={notesPath(appointment()!)} class="button">
                    Write notes and summary
                  </A>
                </Show>
                <A href={home()} class="button secondary">
                  Back to your schedule
                </A>
              </div>
            </Show>
          </article>
        </Match>
        <Match when={startError()}>
          <ErrorState
            message={startError()!.message}
            onRetry={startError()!.permanent ? undefined : () => void start()}
          />
          <A href={home()} classList={{ button: startError()!.permanent }}>
            Back to your dashboard
          </A>
        </Match>
        <Match when={!session() || appointment.loading}>
          <Loading label="Starting your camera and connecting…" />
        </Match>
        <Match when={session()}>
          {(call) => (
            <div class="call-layout">
              <div class="call-stage">
                <CallVideos
                  call={call()}
                  otherName={otherName()}
                  present={presenceView().showMediaChips}
                  absence={presenceView().offerFallback ? presenceView().text : undefined}
                />
                <p class="call-status" role="status" data-testid="call-status">
                  <Show
                    when={presenceView().text}
                    fallback={
                      <>
                        {STATE_LABEL[call().state()]} ·{' '}
                        <span class={`quality quality-${call().quality()}`}>
                          {QUALITY_LABEL[call().quality()]}
                        </span>
                      </>
                    }
                  >
                    {presenceView().text}
                  </Show>
                </p>
                <Show when={isDoctor() && presenceView().offerFallback && appointment()}>
                  {(a) => <ReachPatient patientId={a().patientId} name={otherName()} />}
                </Show>
                <CallControls call={call()} isDoctor={isDoctor()} onLeave={leave} onEnd={endForBoth} />
                <Show when={endError()}>
                  <p class="error" role="alert">
                    {endError()}
                  </p>
                </Show>
                <Show
                  when={provider() === 'twilio'}
                  fallback={
                    <p class="muted">
                      This visit is not recorded: recording is not available for peer-to-peer calls.
                    </p>
                  }
                >
                  <RecordingNotice
                    appointment={appointment()}
                    note={recordingNote()}
                    onNote={setRecordingNote}
                  />
                </Show>
              </div>
              <ChatPanel appointmentId={params.appointmentId!} otherName={otherName()} />
            </div>
          )}
        </Match>
      </Switch>
    </section>
  );
}

/** The doctor's fallback when the patient is gone or away: their phone number, one tap to call. */
function ReachPatient(props: { patientId: string; name: string }) {
  const [details] = createResource(
    () => props.patientId,
    (patientId) => client.call('getPatient', { patientId }),
  );
  const phone = () => details()?.patient.phone;
  return (
    <div class="inline-panel reach-patient" role="group" aria-label={`Other ways to reach ${props.name}`}>
      <Show
        when={phone()}
        fallback={
          <p class="muted">
            {details.loading ? 'Looking up the phone number…' : `No phone number on file for ${props.name}.`}
          </p>
        }
      >
        <p>
          Call {props.name} instead:{' '}
          <a href={`tel:${phone()}`} data-testid="patient-phone">
            {phone()}
          </a>
        </p>
      </Show>
    </div>
  );
}

function CallVideos(props: { call: CallSession; otherName: string; present: boolean; absence?: string }) {
  let remote: HTMLVideoElement | undefined;
  let local: HTMLVideoElement | undefined;
  createEffect(() => {
    if (remote) remote.srcObject = props.call.remoteStream() ?? null;
  });
  createEffect(() => {
    if (local) local.srcObject = props.call.localStream() ?? null;
  });
  const media = () => props.call.remoteMedia();
  return (
    <div class="videos">
      <div class="remote-video">
        <video
          ref={(el) => (remote = el)}
          class="remote"
          autoplay
          playsinline
          aria-label={`Video of ${props.otherName}`}
        />
        <Show when={!props.call.remoteStream() || props.absence}>
          <p class="video-placeholder">{props.absence ?? `Waiting for ${props.otherName}…`}</p>
        </Show>
        <Show when={props.present}>
          <ul class="peer-state" aria-label={`${props.otherName}'s microphone and camera`}>
            <li data-testid="remote-mic" classList={{ off: !media().audio }}>
              {media().audio ? `${props.otherName}'s microphone is on` : `${props.otherName} is muted`}
            </li>
            <li data-testid="remote-camera" classList={{ off: !media().video }}>
              {media().video ? 'Camera on' : 'Camera off'}
            </li>
            <Show when={media().screen}>
              <li>Sharing screen</li>
            </Show>
          </ul>
        </Show>
      </div>
      <video
        ref={(el) => (local = el)}
        class="local"
        autoplay
        playsinline
        muted
        aria-label="Your own video"
      />
    </div>
  );
}

function CallControls(props: {
  call: CallSession;
  isDoctor: boolean;
  onLeave: () => void;
  onEnd: () => void;
}) {
  const [devices] = createResource(() => navigator.mediaDevices.enumerateDevices());
  const [error, setError] = createSignal<string>();
  const [confirmEnd, setConfirmEnd] = createSignal(false);
  const cameras = () => devices()?.filter((d) => d.kind === 'videoinput') ?? [];
  const mics = () => devices()?.filter((d) => d.kind === 'audioinput') ?? [];
  const run = (work: () => Promise<void> | void) => async () => {
    setError(undefined);
    try {
      await work();
    } catch (err) {
      setError(mediaErrorMessage(err));
    }
  };
  return (
    <div class="call-controls">
      <div class="button-row">
        <button
          type="button"
          aria-pressed={!props.call.micOn()}
          onClick={run(() => props.call.setMic(!props.call.micOn()))}
        >
          {props.call.micOn() ? 'Mute' : 'Unmute'}
        </button>
        <button
          type="button"
          aria-pressed={!props.call.cameraOn()}
          onClick={run(() => props.call.setCamera(!props.call.cameraOn()))}
        >
          {props.call.cameraOn() ? 'Turn camera off' : 'Turn camera on'}
        </button>
        <Show when={'getDisplayMedia' in navigator.mediaDevices}>
          <button
            type="button"
            class="secondary"
            onClick={run(() => props.call.shareScreen(!props.call.sharing()))}
          >
            {props.call.sharing() ? 'Stop sharing' : 'Share screen'}
          </button>
        </Show>
        <button type="button" class="secondary" onClick={() => props.onLeave()}>
          Leave
        </button>
        <Show when={props.isDoctor}>
          <button
            type="button"
            class="danger"
            aria-expanded={confirmEnd()}
            onClick={() => setConfirmEnd((c) => !c)}
          >
            End visit for both
          </button>
        </Show>
      </div>
      <Show when={confirmEnd()}>
        <div class="inline-panel" role="group" aria-label="Confirm ending the visit">
          <p>End the visit for both of you? It will be marked as completed.</p>
          <div class="button-row">
            <button type="button" class="danger" onClick={() => props.onEnd()}>
              Yes, end the visit
            </button>
            <button type="button" class="secondary" onClick={() => setConfirmEnd(false)}>
              Keep going
            </button>
          </div>
        </div>
      </Show>
      <div class="device-selects">
        <label>
          Camera
          <select
            onChange={(e) => void run(() => props.call.useDevice('videoinput', e.currentTarget.value))()}
          >
            <For each={cameras()}>
              {(d, i) => <option value={d.deviceId}>{d.label || `Camera ${i() + 1}`}</option>}
            </For>
          </select>
        </label>
        <label>
          Microphone
          <select
            onChange={(e) => void run(() => props.call.useDevice('audioinput', e.currentTarget.value))()}
          >
            <For each={mics()}>
              {(d, i) => <option value={d.deviceId}>{d.label || `Microphone ${i() + 1}`}</option>}
            </For>
          </select>
        </label>
      </div>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
    </div>
  );
}

function RecordingNotice(props: { appointment?: Appointment; note?: string; onNote: (n: string) => void }) {
  const [busy, setBusy] = createSignal(false);
  const ask = async (consent: boolean) => {
    setBusy(true);
    try {
      const result = await liveApi.recordingConsent(props.appointment!.appointmentId, consent);
      props.onNote(
        result.active
          ? 'Recording is on (both of you agreed).'
          : consent
            ? 'Waiting for the other person to agree to recording.'
            : 'Recording is off.',
      );
    } catch (err) {
      props.onNote(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="recording">
      <p class="muted">{props.note ?? 'This visit is not recorded. Recording needs both of you to agree.'}</p>
      <div class="button-row">
        <button type="button" class="link-button" disabled={busy()} onClick={() => void ask(true)}>
          I agree to recording
        </button>
        <button type="button" class="link-button" disabled={busy()} onClick={() => void ask(false)}>
          Withdraw
        </button>
      </div>
    </div>
  );
}
