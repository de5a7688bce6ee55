import { usePractice } from '../practice';

/**
 * What a patient agrees to when they turn texts on, next to the checkbox wherever it is (sign-up
 * and profile): who sends, how often, the carrier's charges, and how to stop or get help — the
 * elements carriers require of an opt-in (A2P 10DLC, docs/operations.md).
 */
export function SmsTerms(props: { id: string }) {
  const practice = usePractice();
  return (
    <p class="hint" id={props.id}>
      {practice()?.name ?? 'The practice'} texts you when a visit is booked, moved or cancelled, and once
      shortly before it: about 1–4 texts per visit. Msg &amp; data rates may apply. Reply STOP to opt out,
      HELP for help. Texts are not a condition of care.
    </p>
  );
}
