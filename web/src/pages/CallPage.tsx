import { A, useNavigate, useParams } from '@solidjs/router';
import {
  createEffect,
  createResource,
  createSignal,
  createUniqueId,
  For,
  Match,
  onCleanup,
  Show,
  Switch,
  type JSX,
} from 'solid-js';
import type { Appointment } from '../../../shared/appointments';
import type { CallQualitySummary } from '../../../shared/visit-feedback';
import { client } from '../api';
import { appointmentsApi, errorMessage, notesPath } from '../appointments';
import { createRemotePlayback } from '../call/autoplay';
import { createQualityCollector } from '../call/call-stats';
import { mediaErrorMessage } from '../call/media';
import { describePresence, initialPresence, presence, type PresenceEvent } from '../call/presence';
import { canRejoin } from '../call/rejoin';
import { browserSupport } from '../call/support';
import { counterpartRole, type CallSession, type RemoteParticipant } from '../call/types';
import { createChat } from '../chat';
import { ChatPanel } from '../components/ChatPanel';
import { GuestSeat } from '../components/GuestSeat';
import { PatientFeedbackForm, TechnicalProblemForm } from '../components/VisitFeedback';
import { ErrorState, Loading, TextArea } from '../components/Field';
import { CallHelpLink } from '../components/HelpLink';
import { fullScreenWhile } from '../components/Layout';
import { UnsupportedBrowser } from '../components/UnsupportedBrowser';
import { liveApi } from '../live';
import { realtime } from '../realtime';
import { stayActiveWhile } from '../idle';
import { homeFor, profile } from '../session';
import { formatCalendarDate, formatDateTime } from '../time';
import { visitProblem, type VisitProblem } from '../visit-errors';
import { feedbackApi } from '../visit-feedback';

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
  const [recordingAvailable, setRecordingAvailable] = createSignal(false);
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
  // One chat for the page: the panel shows it, the phone's chat button counts what is unread in it.
  const chat = createChat(params.appointmentId!, isDoctor() ? 'doctor' : 'patient');
  onCleanup(() => chat.dispose());
  // Phones get the chat as a slide-over behind a button with an unread badge; wider screens beside the video.
  const phoneQuery = window.matchMedia('(max-width: 820px)');
  const [phone, setPhone] = createSignal(phoneQuery.matches);
  const onViewport = () => setPhone(phoneQuery.matches);
  phoneQuery.addEventListener('change', onViewport);
  onCleanup(() => phoneQuery.removeEventListener('change', onViewport));
  const [chatOpen, setChatOpen] = createSignal(false);
  let chatToggle: HTMLButtonElement | undefined;
  const closeChat = () => {
    setChatOpen(false);
    chatToggle?.focus();
  };
  const showChat = () => !phone() || chatOpen();

  // A visit with media flowing is activity: nobody is signed out mid-call for not touching the keyboard.
  stayActiveWhile(() => {
    const state = session()?.state();
    return !ended() && !!state && state !== 'ended' && state !== 'failed';
  });

  // The call-quality summary (call/call-stats.ts): sampled across rejoins, sent once when this side's call ends.
  let quality: ReturnType<typeof createQualityCollector> | undefined;
  let qualitySent = false;
  const sendQuality = () => {
    if (!quality || qualitySent) return;
    qualitySent = true;
    const send = (summary: CallQualitySummary | undefined) => {
      if (summary) void feedbackApi.sendQuality(params.appointmentId!, summary).catch(() => undefined);
    };
    // A summary at hand goes at once (also as the page unloads); a call shorter than one sampling
    // interval takes a last reading first.
    const ready = quality.summary();
    if (ready) {
      quality.stop();
      send(ready);
    } else void quality.finish().then(send, () => undefined);
  };
  createEffect(() => {
    if (session()?.state() === 'reconnecting') quality?.noteReconnect();
  });
  createEffect(() => {
    if (ended()) sendQuality();
  });

  const presenceView = () => describePresence(peerPresence(), otherName(), now());
  // Closing the tab is a deliberate leave too: say so while the socket is still there.
  const onPageHide = () => {
    sendQuality();
    session()?.leave('closed');
  };
  window.addEventListener('pagehide', onPageHide);
  onCleanup(() => window.removeEventListener('pagehide', onPageHide));

  let disposed = false;
  const [endError, setEndError] = createSignal<string>();
  // Full screen while connecting and in the call; the site's header is back for errors and the end.
  // A browser that cannot make the call is told what to use instead; no call is started.
  const support = browserSupport();
  fullScreenWhile(() => support.supported && !ended() && !startFailure());

  const start = async () => {
    setStartFailure(undefined);
    if (session()) quality?.noteReconnect();
    // Never two sessions: a retry first leaves whatever is left of the previous one.
    session()?.leave();
    setSession(undefined);
    try {
      const join = await liveApi.join(params.appointmentId!);
      setProvider(join.provider);
      setRecordingAvailable(join.provider === 'twilio' && join.recordingAvailable);
      const call =
        join.provider === 'p2p'
          ? await (await import('../call/p2p')).startP2PCall(params.appointmentId!, join)
          : await (await import('../call/twilio')).startTwilioCall(params.appointmentId!, join);
      // The page may have been left while the camera was starting.
      if (disposed) return call.leave();
      setSession(call);
      quality ??= createQualityCollector({
        read: async () => session()?.readCounters(),
        every: (tick, ms) => {
          // A first reading as the call starts, then one per interval.
          void tick();
          const timer = setInterval(() => void tick(), ms);
          return () => clearInterval(timer);
        },
        userAgent: navigator.userAgent,
        provider: join.provider,
      });
    } catch (err) {
      setStartFailure({ error: err });
    }
  };
  if (support.supported) void start();
  onCleanup(() => {
    disposed = true;
    sendQuality();
    session()?.leave();
  });

  onCleanup(
    realtime.onFrame((frame) => {
      if (frame.type === 'call.ended' && frame.appointmentId === params.appointmentId) setEnded(true);
      // The status line speaks of the person the visit is with; others have their own tiles.
      if (
        frame.type === 'peer' &&
        frame.appointmentId === params.appointmentId &&
        frame.role === counterpartRole(isDoctor() ? 'doctor' : 'patient')
      )
        feed({ type: 'frame', frame, at: Date.now() });
      if (frame.type === 'recording' && frame.appointmentId === params.appointmentId) {
        setRecordingNote(frame.active ? AGREED : 'Recording is off.');
      }
    }),
  );

  const leave = () => {
    sendQuality();
    session()?.leave('left');
    navigate(homeFor(profile()?.role ?? 'patient'));
  };

  const endForBoth = async () => {
    setEndError(undefined);
    try {
      await liveApi.end(params.appointmentId!);
      setEnded(true);
      sendQuality();
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
        <Match when={!support.supported}>
          <UnsupportedBrowser support={support}>
            <A href={home()}>Back to your dashboard</A>
          </UnsupportedBrowser>
        </Match>
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
                  <PatientFeedbackForm appointmentId={params.appointmentId!} />
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
              <TechnicalProblemForm appointmentId={params.appointmentId!} />
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
          <CallHelpLink doctor={isDoctor()} />
        </Match>
        <Match when={!session() || appointment.loading}>
          <Loading label="Starting your camera and connecting…" />
        </Match>
        <Match when={session()}>
          {(call) => (
            <div class="call-layout" classList={{ 'chat-open': phone() && chatOpen() }}>
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
                <Show
                  when={canRejoin(
                    call().state(),
                    appointment.state === 'ready' ? appointment() : undefined,
                    ended(),
                    now(),
                  )}
                >
                  <p role="alert" data-testid="call-lost">
                    The connection to the visit was lost.{' '}
                    <button type="button" onClick={() => void start()}>
                      Rejoin the visit
                    </button>
                  </p>
                </Show>
                <Show when={isDoctor() && presenceView().offerFallback && appointment()}>
                  {(a) => <ReachPatient patientId={a().patientId} name={otherName()} />}
                </Show>
                <CallControls call={call()} isDoctor={isDoctor()} onLeave={leave} onEnd={endForBoth}>
                  <Show when={phone()}>
                    <button
                      type="button"
                      class="control"
                      ref={(el) => (chatToggle = el)}
                      aria-expanded={chatOpen()}
                      aria-controls="call-chat"
                      data-testid="chat-toggle"
                      onClick={() => setChatOpen((o) => !o)}
                    >
                      <Icon name="chat" />
                      <span>Chat</span>
                      <Show when={chat.unread() > 0}>
                        <span class="unread-badge" data-testid="chat-unread">
                          {chat.unread()}
                          <span class="sr-only"> unread</span>
                        </span>
                      </Show>
                    </button>
                  </Show>
                </CallControls>
                <Show when={endError()}>
                  <p class="error" role="alert">
                    {endError()}
                  </p>
                </Show>
                <Show when={session()?.recording?.()}>
                  <p class="recording-live" role="status" data-testid="recording-live">
                    This visit is being recorded
                  </p>
                </Show>
                <Show
                  when={recordingAvailable()}
                  fallback={
                    <p class="muted">
                      {provider() === 'p2p'
                        ? 'This visit is not recorded: recording is not available for peer-to-peer calls.'
                        : 'This visit is not recorded.'}
                    </p>
                  }
                >
                  <RecordingNotice
                    appointment={appointment()}
                    note={recordingNote()}
                    onNote={setRecordingNote}
                  />
                </Show>
                <CallHelpLink doctor={isDoctor()} />
              </div>
              <div class="call-side">
                <Show when={isDoctor() && appointment()}>{(a) => <PatientPanel appointment={a()} />}</Show>
                {/* A guest who arrives once the call is on is admitted (or invited) from here. */}
                <GuestSeat appointmentId={params.appointmentId!} viewer={isDoctor() ? 'doctor' : 'patient'} />
                <Show when={showChat()}>
                  <div
                    id="call-chat"
                    class="call-chat"
                    classList={{ 'slide-over': phone() }}
                    onKeyDown={(e) => e.key === 'Escape' && phone() && closeChat()}
                  >
                    <Show when={phone()}>
                      <button
                        type="button"
                        class="secondary close-chat"
                        ref={(el) => queueMicrotask(() => el.focus())}
                        onClick={closeChat}
                      >
                        Back to the video
                      </button>
                    </Show>
                    <ChatPanel appointmentId={params.appointmentId!} otherName={otherName()} chat={chat} />
                  </div>
                </Show>
              </div>
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
  let remoteScreen: HTMLVideoElement | undefined;
  let local: HTMLVideoElement | undefined;
  const playback = createRemotePlayback();
  createEffect(() => {
    const stream = props.call.remoteStream();
    if (!remote) return;
    remote.srcObject = stream ?? null;
    playback.attach(remote, !!stream);
  });
  createEffect(() => {
    if (remoteScreen) remoteScreen.srcObject = props.call.remoteScreen?.() ?? null;
  });
  createEffect(() => {
    if (local) local.srcObject = props.call.localStream() ?? null;
  });
  const media = () => props.call.remoteMedia();
  const cameraOff = () =>
    props.present && !!props.call.remoteStream() && !props.absence && !media().video && !media().screen;
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
        {/* A screen share sent apart from the camera covers it, as the camera's own track would. */}
        <Show when={props.call.remoteScreen?.()}>
          <video
            ref={(el) => (remoteScreen = el)}
            class="remote-screen"
            autoplay
            playsinline
            muted
            aria-label={`Screen shared by ${props.otherName}`}
          />
        </Show>
        <Show when={playback.soundBlocked()}>
          <button type="button" class="turn-on-sound" onClick={() => void playback.turnOnSound()}>
            Tap to turn on sound
          </button>
        </Show>
        <Show when={!props.call.remoteStream() || props.absence}>
          <p class="video-placeholder">{props.absence ?? `Waiting for ${props.otherName}…`}</p>
        </Show>
        <Show when={cameraOff()}>
          <div class="video-placeholder camera-off" data-testid="remote-camera-off">
            <span class="initials" aria-hidden="true">
              {initials(props.otherName)}
            </span>
            <p>{props.otherName}'s camera is off</p>
          </div>
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
        <Show when={!props.call.micOn()}>
          <p class="self-muted" data-testid="self-muted">
            <Icon name="mic" off /> You are muted
          </p>
        </Show>
      </div>
      <Show when={props.call.others().length > 0}>
        <ul class="other-tiles" aria-label="Also in the visit">
          <For each={props.call.others()}>{(other) => <OtherTile other={other} />}</For>
        </ul>
      </Show>
      <div class="self-view">
        <video
          ref={(el) => (local = el)}
          class="local"
          autoplay
          playsinline
          muted
          aria-label="Your own video"
        />
        <Show when={!props.call.cameraOn()}>
          <p class="self-camera-off" data-testid="self-camera-off">
            <Icon name="camera" off /> Your camera is off
          </p>
        </Show>
      </div>
    </div>
  );
}

/** Someone else in the visit (a guest; for a guest, the patient): a small tile with their name. */
function OtherTile(props: { other: RemoteParticipant }) {
  let video: HTMLVideoElement | undefined;
  const playback = createRemotePlayback();
  const name = () => props.other.participant.displayName;
  const media = () => props.other.media();
  createEffect(() => {
    const stream = props.other.stream();
    if (!video) return;
    video.srcObject = stream ?? null;
    playback.attach(video, !!stream);
  });
  return (
    <li class="other-tile" data-testid="other-tile">
      <video ref={(el) => (video = el)} autoplay playsinline aria-label={`Video of ${name()}`} />
      <Show when={!props.other.stream() || (!media().video && !media().screen)}>
        <div class="video-placeholder">
          <span class="initials" aria-hidden="true">
            {initials(name())}
          </span>
        </div>
      </Show>
      <p class="tile-name">
        {name()}
        <Show when={!props.other.stream()}> · connecting…</Show>
        <Show when={props.other.stream() && !media().audio}> · muted</Show>
      </p>
      <Show when={playback.soundBlocked()}>
        <button type="button" class="turn-on-sound" onClick={() => void playback.turnOnSound()}>
          Tap to hear {name()}
        </button>
      </Show>
    </li>
  );
}

/** "Sam Patel" → "SP", "Dr. Vida Okoye" → "VO". */
function initials(name: string) {
  const words = name
    .replace(/^dr\.?\s+/i, '')
    .split(/\s+/)
    .filter(Boolean);
  const letters = words.length > 1 ? [words[0]!, words[words.length - 1]!] : words;
  return letters.map((w) => w[0]!.toUpperCase()).join('') || '?';
}

const ICON_PATHS = {
  mic: 'M12 2a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V5a3 3 0 0 0-3-3zM5 10a7 7 0 0 0 14 0M12 17v4M8 21h8',
  camera: 'M4 6h10a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2zM16 10l6-4v12l-6-4',
  screen: 'M4 3h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zM8 21h8M12 17v4',
  leave: 'M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4M16 17l5-5-5-5M21 12H9',
  end: 'M18 6 6 18M6 6l12 12',
  chat: 'M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z',
};

/** A line icon for the call controls; decorative, the button's words name it. */
function Icon(props: { name: keyof typeof ICON_PATHS; off?: boolean }) {
  return (
    <svg
      class="icon"
      viewBox="0 0 24 24"
      width="20"
      height="20"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
    >
      <path d={ICON_PATHS[props.name]} />
      <Show when={props.off}>
        <path d="M3 3l18 18" />
      </Show>
    </svg>
  );
}

function CallControls(props: {
  call: CallSession;
  isDoctor: boolean;
  onLeave: () => void;
  onEnd: () => void;
  children?: JSX.Element;
}) {
  const [devices, { refetch: refetchDevices }] = createResource(() =>
    navigator.mediaDevices.enumerateDevices(),
  );
  // A camera or headset plugged in or out shows in the lists (the engine moves off a device that went).
  const onDeviceChange = () => void refetchDevices();
  navigator.mediaDevices.addEventListener('devicechange', onDeviceChange);
  onCleanup(() => navigator.mediaDevices.removeEventListener('devicechange', onDeviceChange));
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
      <div class="control-bar" role="group" aria-label="Call controls">
        <button
          type="button"
          class="control"
          classList={{ off: !props.call.micOn() }}
          aria-pressed={!props.call.micOn()}
          onClick={run(() => props.call.setMic(!props.call.micOn()))}
        >
          <Icon name="mic" off={!props.call.micOn()} />
          <span>{props.call.micOn() ? 'Mute' : 'Unmute'}</span>
        </button>
        <button
          type="button"
          class="control"
          classList={{ off: !props.call.cameraOn() }}
          aria-pressed={!props.call.cameraOn()}
          onClick={run(() => props.call.setCamera(!props.call.cameraOn()))}
        >
          <Icon name="camera" off={!props.call.cameraOn()} />
          <span>{props.call.cameraOn() ? 'Turn camera off' : 'Turn camera on'}</span>
        </button>
        <Show when={'getDisplayMedia' in navigator.mediaDevices}>
          <button
            type="button"
            class="control"
            classList={{ on: props.call.sharing() }}
            onClick={run(() => props.call.shareScreen(!props.call.sharing()))}
          >
            <Icon name="screen" />
            <span>{props.call.sharing() ? 'Stop sharing' : 'Share screen'}</span>
          </button>
        </Show>
        {props.children}
        <button type="button" class="control" onClick={() => props.onLeave()}>
          <Icon name="leave" />
          <span>Leave</span>
        </button>
        <Show when={props.isDoctor}>
          <button
            type="button"
            class="control danger"
            aria-expanded={confirmEnd()}
            onClick={() => setConfirmEnd((c) => !c)}
          >
            <Icon name="end" />
            <span>End visit for both</span>
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
      <details class="device-settings">
        <summary>Camera and microphone settings</summary>
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
      </details>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
    </div>
  );
}

/** Both agreed: the room's own events (the "being recorded" line) say when recording really runs. */
const AGREED = 'You both agreed to recording.';

function RecordingNotice(props: { appointment?: Appointment; note?: string; onNote: (n: string) => void }) {
  const [busy, setBusy] = createSignal(false);
  const ask = async (consent: boolean) => {
    setBusy(true);
    try {
      const result = await liveApi.recordingConsent(props.appointment!.appointmentId, consent);
      props.onNote(
        result.active
          ? AGREED
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

/** Whole years from a date of birth (YYYY-MM-DD) to today, in the viewer's calendar. */
function ageFrom(dateOfBirth: string, today = new Date()) {
  const [y, m, d] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const birthdayPassed = today.getMonth() + 1 > m || (today.getMonth() + 1 === m && today.getDate() >= d);
  return today.getFullYear() - y - (birthdayPassed ? 0 : 1);
}

/** The doctor's view of the patient beside the video: who, why, what was said before, and notes. */
function PatientPanel(props: { appointment: Appointment }) {
  const titleId = createUniqueId();
  const [details] = createResource(
    () => props.appointment.patientId,
    (patientId) => client.call('getPatient', { patientId }),
  );
  // The latest visits (one page, newest first): their shared summaries are the ones worth a glance.
  const [history] = createResource(
    () => props.appointment.patientId,
    (patientId) => appointmentsApi.patientVisits(patientId, undefined, 20),
  );
  const dateOfBirth = () => details()?.patient.dateOfBirth;
  const previous = () =>
    (history()?.items ?? []).filter(
      (a) => a.appointmentId !== props.appointment.appointmentId && a.notes?.summaryShared && a.notes.summary,
    );
  return (
    <section class="card patient-panel" aria-labelledby={titleId} data-testid="patient-panel">
      <h2 id={titleId}>{props.appointment.patientName}</h2>
      <dl class="patient-facts">
        <div>
          <dt>Age</dt>
          <dd>
            <Show when={!details.loading} fallback="…">
              {dateOfBirth()
                ? `${ageFrom(dateOfBirth()!)} (born ${formatCalendarDate(dateOfBirth()!)})`
                : 'Not given'}
            </Show>
          </dd>
        </div>
        <div>
          <dt>Reason for visit</dt>
          <dd data-testid="visit-reason">{props.appointment.reason || 'No reason given'}</dd>
        </div>
      </dl>
      <h3>Previous summaries</h3>
      <Show
        when={previous().length}
        fallback={
          <p class="muted">
            {history.loading
              ? 'Loading earlier visits…'
              : history.error
                ? 'Earlier visits could not be loaded.'
                : 'No summaries from earlier visits.'}
          </p>
        }
      >
        <ul class="previous-summaries">
          <For each={previous()}>
            {(a) => (
              <li>
                <span class="muted">{formatDateTime(a.start)}</span>
                <p>{a.notes!.summary}</p>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <CallNotes appointmentId={props.appointment.appointmentId} />
    </section>
  );
}

/** Notes written during the call; the summary for the patient is left as it is (written after the visit). */
function CallNotes(props: { appointmentId: string }) {
  const [stored, { mutate }] = createResource(
    () => props.appointmentId,
    (id) => appointmentsApi.notes(id).catch(() => undefined),
  );
  const [draft, setDraft] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const [status, setStatus] = createSignal<string>();
  const [error, setError] = createSignal<string>();
  const text = () => draft() ?? stored()?.notes ?? '';
  const save = async (e: SubmitEvent) => {
    e.preventDefault();
    setBusy(true);
    setStatus(undefined);
    setError(undefined);
    try {
      const before = stored();
      const saved = await appointmentsApi.saveNotes(props.appointmentId, {
        notes: text(),
        summary: before?.summary ?? '',
        summaryShared: before?.summaryShared ?? false,
      });
      mutate(saved);
      setStatus('Notes saved.');
    } catch (err) {
      setError(errorMessage(err, 'The notes could not be saved. Try again.'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="call-notes" onSubmit={(e) => void save(e)}>
      <TextArea
        label="Notes during the visit (only you see these)"
        name="call-notes"
        rows={5}
        max={20_000}
        value={text()}
        onInput={(e) => {
          setDraft(e.currentTarget.value);
          setStatus(undefined);
        }}
      />
      <div class="button-row">
        <button type="submit" disabled={busy() || stored.loading}>
          {busy() ? 'Saving…' : 'Save notes'}
        </button>
        <p class="muted" role="status">
          {status()}
        </p>
      </div>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
    </form>
  );
}
