import { createSignal, For, Match, Show, Switch } from 'solid-js';
import {
  FEEDBACK_COMMENT_MAX,
  TECHNICAL_NOTE_MAX,
  TECHNICAL_PROBLEMS,
  type TechnicalProblem,
  type VisitFeedbackRequest,
} from '../../../shared/visit-feedback';
import { ApiError } from '../api';
import { errorMessage } from '../appointments';
import { feedbackApi } from '../visit-feedback';
import { Checkbox, FormError, TextArea } from './Field';
import { usePractice } from '../practice';

const RATING_WORDS = ['', 'Very poor', 'Poor', 'OK', 'Good', 'Very good'];
const PROBLEM_LABELS: Record<TechnicalProblem, string> = {
  no_video: 'No video',
  no_audio: 'No audio',
  dropped: 'The call dropped',
  poor_quality: 'Poor picture or sound',
  other: 'Something else',
};

/** A 1–5 choice as a labelled radio group: arrow keys move between the options. */
function RatingGroup(props: { name: string; legend: string; value?: number; onChange: (n: number) => void }) {
  return (
    <fieldset class="rating-group">
      <legend>{props.legend}</legend>
      <div class="rating-options">
        <For each={[1, 2, 3, 4, 5]}>
          {(n) => (
            <label>
              <input
                type="radio"
                name={props.name}
                value={n}
                checked={props.value === n}
                onChange={() => props.onChange(n)}
              />
              {n} <span class="sr-only">– {RATING_WORDS[n]}</span>
              <span aria-hidden="true" class="muted">
                {n === 1 || n === 5 ? RATING_WORDS[n] : ''}
              </span>
            </label>
          )}
        </For>
      </div>
    </fieldset>
  );
}

/** Sends feedback once; says thank you, or why not. A second submission (another tab) counts as sent. */
function useSubmission(appointmentId: string) {
  const [busy, setBusy] = createSignal(false);
  const [sent, setSent] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const send = async (feedback: VisitFeedbackRequest) => {
    setBusy(true);
    setError(undefined);
    try {
      await feedbackApi.leave(appointmentId, feedback);
      setSent(true);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'feedback_exists') setSent(true);
      else setError(errorMessage(err, 'Your feedback could not be sent. Please try again.'));
    } finally {
      setBusy(false);
    }
  };
  return { busy, sent, error, send };
}

/** After the visit: the patient rates the visit and the call, with an optional comment. Skippable. */
export function PatientFeedbackForm(props: { appointmentId: string }) {
  const practice = usePractice();
  const [visitRating, setVisitRating] = createSignal<number>();
  const [callRating, setCallRating] = createSignal<number>();
  const [comment, setComment] = createSignal('');
  const [skipped, setSkipped] = createSignal(false);
  const [missing, setMissing] = createSignal<string>();
  const submission = useSubmission(props.appointmentId);

  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    const visit = visitRating();
    const call = callRating();
    if (!visit || !call) return setMissing('Choose a rating for the visit and for the call, or skip.');
    setMissing(undefined);
    void submission.send({ kind: 'visit', visitRating: visit, callRating: call, comment: comment() });
  };

  return (
    <Switch>
      <Match when={submission.sent()}>
        <p role="status" data-testid="feedback-thanks">
          Thank you for your feedback.
        </p>
      </Match>
      <Match when={!skipped()}>
        <form class="visit-feedback" aria-labelledby="feedback-title" onSubmit={submit} novalidate>
          <h3 id="feedback-title">How did it go?</h3>
          <p class="hint">Optional. It helps us improve the service.</p>
          <FormError message={missing() ?? submission.error()} />
          <RatingGroup
            name="visit-rating"
            legend="The visit overall"
            value={visitRating()}
            onChange={setVisitRating}
          />
          <RatingGroup
            name="call-rating"
            legend="The video and sound"
            value={callRating()}
            onChange={setCallRating}
          />
          <TextArea
            label="Anything about your experience? (optional)"
            name="feedback-comment"
            hint={`About booking, waiting and the call — not about your health. The practice team reads this; your doctor does not read it for medical matters. For questions about your health, contact ${practice()?.name ?? 'the practice'}${practice() ? ` (${practice()!.phoneDisplay})` : ''}.`}
            value={comment()}
            max={FEEDBACK_COMMENT_MAX}
            onInput={(e) => setComment(e.currentTarget.value)}
          />
          <div class="button-row">
            <button type="submit" disabled={submission.busy()}>
              {submission.busy() ? 'Sending…' : 'Send feedback'}
            </button>
            <button type="button" class="secondary" onClick={() => setSkipped(true)}>
              Skip
            </button>
          </div>
        </form>
      </Match>
    </Switch>
  );
}

/** After the visit: the doctor may report technical problems; closed by default, never in the way. */
export function TechnicalProblemForm(props: { appointmentId: string }) {
  const [problems, setProblems] = createSignal<TechnicalProblem[]>([]);
  const [note, setNote] = createSignal('');
  const [missing, setMissing] = createSignal<string>();
  const submission = useSubmission(props.appointmentId);
  const toggle = (p: TechnicalProblem, on: boolean) =>
    setProblems((list) => (on ? [...list, p] : list.filter((x) => x !== p)));

  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    if (!problems().length) return setMissing('Choose at least one problem.');
    setMissing(undefined);
    void submission.send({ kind: 'technical', problems: problems(), note: note() });
  };

  return (
    <Show
      when={!submission.sent()}
      fallback={
        <p role="status" data-testid="problem-reported">
          Thank you — the problem was reported.
        </p>
      }
    >
      <details class="technical-problems">
        <summary>Report a technical problem with this call</summary>
        <form onSubmit={submit} novalidate>
          <FormError message={missing() ?? submission.error()} />
          <fieldset class="rating-group">
            <legend>What went wrong?</legend>
            <For each={TECHNICAL_PROBLEMS}>
              {(p) => (
                <Checkbox
                  name={`problem-${p}`}
                  checked={problems().includes(p)}
                  onChange={(e) => toggle(p, e.currentTarget.checked)}
                >
                  {PROBLEM_LABELS[p]}
                </Checkbox>
              )}
            </For>
          </fieldset>
          <TextArea
            label="Details (optional, no patient information)"
            name="problem-note"
            value={note()}
            max={TECHNICAL_NOTE_MAX}
            onInput={(e) => setNote(e.currentTarget.value)}
          />
          <button type="submit" class="secondary" disabled={submission.busy()}>
            {submission.busy() ? 'Sending…' : 'Send report'}
          </button>
        </form>
      </details>
    </Show>
  );
}
