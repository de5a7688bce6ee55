import { A } from '@solidjs/router';
import { ContactPractice } from '../components/PracticeContact';

/** Where a patient lands after deleting their account (already signed out everywhere). */
export default function AccountDeleted() {
  return (
    <section class="card narrow" aria-labelledby="deleted-title">
      <h1 id="deleted-title">Your account has been deleted</h1>
      <p>
        You have been signed out on every device, your upcoming appointments are cancelled and your personal
        details are erased from your profile.
      </p>
      <ContactPractice lead="Your visit records are kept for as long as the law requires. To ask about them, contact the practice." />
      <p>
        <A href="/">Go to the start page</A>
      </p>
    </section>
  );
}
