import { createEffect, createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import type { JoinInfo } from '../../../shared/live';
import { errorMessage } from '../appointments';
import type { CallSession } from '../call/types';
import { realtime } from '../realtime';
import { ErrorState, Loading } from './Field';

/**
 * A visit-session holder in the visit's call (docs/adr/0021-visit-passes.md): the invited guest and
 * the signed-out patient who opened a texted link (no-show rescue). Their own grant (`join`: the
 * visit's room, their own identity), the tab's realtime socket on the visit session, and the call
 * engine the call page uses (a p2p mesh or a Twilio room). They see the others — no chat, no
 * transcript, no notes. `testId` names the card and its status line (`<testId>-in-call`, `-connected`).
 */
export function PassCall(props: {
  appointmentId: string;
  doctorName: string;
  join: () => Promise<JoinInfo>;
  testId: string;
}) {
  onCleanup(realtime.acquire());
  const [call, setCall] = createSignal<CallSession>();
  const [failure, setFailure] = createSignal<unknown>();
  onMount(async () => {
    try {
      const join = await props.join();
      const session =
        join.provider === 'p2p'
          ? await (await import('../call/p2p')).startP2PCall(props.appointmentId, join)
          : await (await import('../call/twilio')).startTwilioCall(props.appointmentId, join);
      setCall(session);
    } catch (err) {
      setFailure(err ?? 'failed');
    }
  });
  onCleanup(() => call()?.leave());
  return (
    <article class="card" aria-live="polite" data-testid={`${props.testId}-in-call`}>
      <h2>Video visit with {props.doctorName}</h2>
      <Show when={failure()}>
        <ErrorState message={errorMessage(failure())} />
      </Show>
      <Show
        when={call()}
        fallback={<Show when={!failure()}>{<Loading label="Connecting to the call…" />}</Show>}
      >
        {(session) => (
          <>
            <p data-testid={`${props.testId}-connected`}>
              {session().state() === 'ended' ? 'The visit has ended.' : 'You are in the call.'}
            </p>
            <ul class="guest-tiles">
              <Tile name={props.doctorName} stream={session().remoteStream()} />
              <For each={session().others()}>
                {(other) => <Tile name={other.participant.displayName} stream={other.stream()} />}
              </For>
              <Tile name="You" stream={session().localStream()} muted />
            </ul>
            <div class="button-row">
              <button type="button" onClick={() => session().setMic(!session().micOn())}>
                {session().micOn() ? 'Mute' : 'Unmute'}
              </button>
              <button type="button" class="secondary" onClick={() => session().leave('left')}>
                Leave
              </button>
            </div>
          </>
        )}
      </Show>
    </article>
  );
}

function Tile(props: { name: string; stream: MediaStream | undefined; muted?: boolean }) {
  let video: HTMLVideoElement | undefined;
  createEffect(() => {
    if (video) video.srcObject = props.stream ?? null;
  });
  return (
    <li class="other-tile">
      <video
        ref={(el) => (video = el)}
        autoplay
        playsinline
        muted={props.muted}
        aria-label={`Video of ${props.name}`}
      />
      <p class="tile-name">
        {props.name}
        <Show when={!props.stream}> · connecting…</Show>
      </p>
    </li>
  );
}
