import { A } from '@solidjs/router';
import type { JSX } from 'solid-js';
import { ContactPractice } from '../components/PracticeContact';

export type Audience = 'patient' | 'doctor';

export interface HelpSection {
  /** The anchor: /help/patient#camera. */
  id: string;
  title: string;
  body: () => JSX.Element;
}

export interface HelpGuide {
  title: string;
  intro: string;
  sections: HelpSection[];
}

/**
 * In-app help, in the words on the buttons. Longer versions with pictures: docs/manual/*.md.
 * Every button or label named here exists in web/src (checked by hand when a page changes).
 */
export const HELP: Record<Audience, HelpGuide> = {
  patient: {
    title: 'Help for patients',
    intro: 'How to book, get ready and see your doctor by video. Each part takes a minute to read.',
    sections: [
      {
        id: 'book',
        title: 'Book an appointment',
        body: () => (
          <ol>
            <li>
              On your dashboard, choose <strong>Book an appointment</strong>.
            </li>
            <li>Find your doctor by name or specialty, and pick them.</li>
            <li>
              Pick a day, then a time. Use <strong>Later</strong> to see the next week. Times are in your own
              time zone.
            </li>
            <li>
              Write a short reason for the visit. Only your doctor sees it — it is never put in a text message
              or a calendar.
            </li>
            <li>
              Choose <strong>Confirm booking</strong>. The visit appears under{' '}
              <strong>Upcoming appointments</strong>.
            </li>
          </ol>
        ),
      },
      {
        id: 'check-in',
        title: 'Check in before your visit',
        body: () => (
          <>
            <p>
              From 15 minutes before the start, a <strong>Check in</strong> button appears next to your
              appointment on the dashboard. Use a phone, tablet or computer with a camera, in a quiet and
              private place.
            </p>
            <ol>
              <li>
                <strong>Device check.</strong> You should see yourself in the camera preview. Say something:
                the microphone bar moves and “Microphone works” appears. Choose{' '}
                <strong>Play test sound</strong>, and if you heard it, <strong>I heard it</strong>.
              </li>
              <li>
                <strong>Consent.</strong> Read the short text about video visits and tick{' '}
                <strong>I agree to this video visit</strong>.
              </li>
              <li>
                Choose <strong>Check in</strong>. You are now in the waiting room.
              </li>
            </ol>
            <p>
              If something in the device check does not work, you can still check in — your doctor sees the
              result. Try the steps under <a href="#camera">Camera or microphone not working</a> first.
            </p>
          </>
        ),
      },
      {
        id: 'waiting-room',
        title: 'In the waiting room',
        body: () => (
          <>
            <p>
              Keep the page open. When your doctor lets you in, the call starts by itself. If your doctor is
              running late, the page says so.
            </p>
            <p>
              You can write to your doctor in the chat while you wait. “Seen by …” under your message means it
              was read.
            </p>
            <p>
              If you closed the page, open your dashboard and choose{' '}
              <strong>Return to the waiting room</strong>.
            </p>
          </>
        ),
      },
      {
        id: 'call',
        title: 'During the video call',
        body: () => (
          <ul>
            <li>
              <strong>Mute</strong> / <strong>Unmute</strong> turns your microphone off and on. “You are
              muted” shows on the video while it is off.
            </li>
            <li>
              <strong>Turn camera off</strong> / <strong>Turn camera on</strong> does the same for your
              camera.
            </li>
            <li>
              <strong>Share screen</strong> shows your screen to the doctor (on computers).
            </li>
            <li>
              <strong>Chat</strong>: on a phone, tap <strong>Chat</strong> below the video; a number shows
              unread messages. <strong>Back to the video</strong> closes it.
            </li>
            <li>
              <strong>Camera and microphone settings</strong> lets you pick another camera or microphone, for
              example a headset.
            </li>
            <li>
              <strong>Leave</strong> takes you back to your dashboard. While the visit is still open you can
              come back with <strong>Join the call</strong>.
            </li>
          </ul>
        ),
      },
      {
        id: 'camera',
        title: 'Camera or microphone not working',
        body: () => (
          <>
            <p>
              If the page says access was blocked, your browser needs your permission. Allow the camera and
              microphone for this site, then reload the page.
            </p>
            <h3>Chrome (Android, Windows, Mac)</h3>
            <ol>
              <li>Tap or click the icon just left of the web address.</li>
              <li>
                Open <strong>Permissions</strong> (or <strong>Site settings</strong>) and set Camera and
                Microphone to <strong>Allow</strong>.
              </li>
              <li>Reload the page.</li>
            </ol>
            <p>
              On Android, also check <strong>Settings → Apps → Chrome → Permissions</strong>.
            </p>
            <h3>Safari on iPhone or iPad</h3>
            <ol>
              <li>
                Tap <strong>aA</strong> (or the page settings icon) in the address bar, then{' '}
                <strong>Website Settings</strong>.
              </li>
              <li>
                Set Camera and Microphone to <strong>Allow</strong> (or <strong>Ask</strong>).
              </li>
              <li>
                If that does not help: <strong>Settings → Apps → Safari</strong> (older iPhones:{' '}
                <strong>Settings → Safari</strong>), then Camera and Microphone.
              </li>
              <li>Reload the page.</li>
            </ol>
            <h3>Firefox</h3>
            <ol>
              <li>Click the camera or permissions icon at the left of the address bar.</li>
              <li>Remove “Blocked” next to Camera and Microphone (the small ×).</li>
              <li>
                Reload the page and choose <strong>Allow</strong> when Firefox asks.
              </li>
            </ol>
            <h3>Still nothing?</h3>
            <ul>
              <li>Close other apps that use the camera (video calls, the camera app).</li>
              <li>On a computer, check that the camera or headset is plugged in.</li>
              <li>Use a current version of Chrome, Edge, Firefox or Safari.</li>
            </ul>
          </>
        ),
      },
      {
        id: 'weak-connection',
        title: 'If the connection is weak',
        body: () => (
          <>
            <p>
              Under the video you see how good the connection is: good, fair or poor. If it is poor or the
              picture freezes:
            </p>
            <ul>
              <li>Move closer to your Wi-Fi router, or switch between Wi-Fi and mobile data.</li>
              <li>Stop downloads and videos on other devices at home.</li>
              <li>Turn your camera off — sound needs much less connection than video.</li>
            </ul>
            <p>
              If the call drops, reload the page or open your dashboard and choose{' '}
              <strong>Join the call</strong>. Your doctor sees that you are reconnecting, and may phone you on
              the mobile number in your profile.
            </p>
          </>
        ),
      },
      {
        id: 'change',
        title: 'Reschedule or cancel',
        body: () => (
          <>
            <p>
              On your dashboard, under <strong>Upcoming appointments</strong>:
            </p>
            <ul>
              <li>
                <strong>Reschedule</strong>: pick a new time with the same doctor, then choose{' '}
                <strong>Move to …</strong>. <strong>Keep current time</strong> closes it without changes.
              </li>
              <li>
                <strong>Cancel</strong>: you may give a reason, then choose{' '}
                <strong>Cancel appointment</strong>. Your doctor is told and the time is freed.
              </li>
              <li>
                <strong>Add to calendar</strong> downloads the visit for your calendar app.
              </li>
            </ul>
            <ContactPractice
              class=""
              lead="Shortly before the visit these buttons go away and the page says it is too late to change it online. Please contact the practice then."
            />
          </>
        ),
      },
      {
        id: 'after',
        title: 'After the visit',
        body: () => (
          <p>
            Your <strong>Consultation history</strong> on the dashboard keeps each visit with the chat. When
            your doctor shares a summary, choose <strong>Visit summary</strong> to read it.
          </p>
        ),
      },
      {
        id: 'privacy',
        title: 'Privacy and your data',
        body: () => (
          <>
            <h3>Text messages</h3>
            <p>
              If you turned them on, we text you when a visit is booked, moved or cancelled, and shortly
              before it starts. A text names only your doctor and the time — never the reason for your visit
              or anything medical. Turn texts off or on in <strong>Profile</strong> on your dashboard, or
              reply STOP to any text (HELP for help). Msg &amp; data rates may apply.
            </p>
            <h3>Download your data</h3>
            <p>
              In <strong>Profile → Your data</strong>, choose <strong>Download my data</strong> for a copy of
              everything we hold about you: profile, appointments, shared summaries, chat, consents and texts.
            </p>
            <h3>Delete your account</h3>
            <p>
              Choose <strong>Delete my account</strong> and type DELETE to confirm. Upcoming visits are
              cancelled, you are signed out everywhere, and your name, email, mobile number and date of birth
              are erased. Your visit records, notes, chat and consents are kept as long as the law requires
              medical records to be kept. This cannot be undone.
            </p>
            <h3>Signing out</h3>
            <p>
              For your privacy you are signed out after a while without activity (usually 15 minutes), after a
              warning; a video call counts as activity. Lost a phone? Choose{' '}
              <strong>Sign out everywhere</strong> in your profile. See also the{' '}
              <A href="/legal/privacy">privacy notice</A>.
            </p>
          </>
        ),
      },
    ],
  },
  doctor: {
    title: 'Help for doctors',
    intro: 'Your day, the waiting room, the call and your notes, in short.',
    sections: [
      {
        id: 'day',
        title: 'Your day at a glance',
        body: () => (
          <>
            <p>
              <strong>Schedule</strong> opens with the waiting room, then visits still needing notes, then{' '}
              <strong>Today’s schedule</strong> and <strong>The week ahead</strong>. New bookings, moves,
              cancellations and check-ins appear without reloading. Times are in your browser’s time zone.
            </p>
            <ul>
              <li>Select a patient’s name to see their details and visits with you.</li>
              <li>
                <strong>Mark complete</strong> and <strong>No-show</strong> unlock at the start time.
              </li>
              <li>
                <strong>Cancel</strong> (before the start) asks for a reason; the patient is told and the time
                is freed.
              </li>
            </ul>
          </>
        ),
      },
      {
        id: 'waiting-room',
        title: 'Waiting room and admitting',
        body: () => (
          <>
            <p>Each checked-in patient shows:</p>
            <ul>
              <li>
                <strong>Device check passed</strong> or <strong>Device check incomplete</strong>.
              </li>
              <li>How long they have waited.</li>
              <li>
                Whether they are there now: “In the waiting room”, “Not on the waiting-room page”, “Left the
                waiting room” or “Connection lost — may be back shortly”.
              </li>
            </ul>
            <p>
              <strong>Chat</strong> opens their messages (a number shows unread ones); you can answer before
              admitting. <strong>Running 10 min late</strong> tells the patient on their screen.
            </p>
            <p>
              To start: <strong>Admit</strong>, read the consent, then <strong>Agree and admit</strong>. The
              call opens for you, and the patient joins automatically.
            </p>
          </>
        ),
      },
      {
        id: 'call',
        title: 'Call controls',
        body: () => (
          <>
            <ul>
              <li>
                <strong>Mute</strong>, <strong>Turn camera off</strong>, <strong>Share screen</strong>.
              </li>
              <li>
                <strong>Camera and microphone settings</strong>: choose another camera or microphone.
              </li>
              <li>
                The line under the video says how the call is going and the connection quality. On the
                patient’s video you see whether they are muted or their camera is off.
              </li>
              <li>
                Beside the video: the patient’s age, reason for visit, summaries from earlier visits, and{' '}
                <strong>Notes during the visit</strong> with <strong>Save notes</strong>.
              </li>
              <li>
                <strong>Leave</strong> steps out and keeps the visit open; rejoin from{' '}
                <strong>Join the call</strong> on your schedule.
              </li>
              <li>
                <strong>End visit for both</strong>, then <strong>Yes, end the visit</strong>: the visit is
                marked completed and you land on its notes.
              </li>
            </ul>
            <p>Peer-to-peer visits are not recorded; the call page says so.</p>
          </>
        ),
      },
      {
        id: 'patient-drops',
        title: 'If the patient drops out',
        body: () => (
          <>
            <p>The status line under the video tells you what happened:</p>
            <ul>
              <li>“Waiting for … to reconnect (0:12)” — their connection was lost; the clock counts up.</li>
              <li>“… is back” — they reconnected.</li>
              <li>“… left the visit” — they chose Leave or closed the page.</li>
              <li>“… has not come back” — two minutes passed without them.</li>
            </ul>
            <p>
              While they are away, their mobile number appears under the video (“Call … instead”), one tap to
              phone them. You can wait, phone them, or end the visit for both.
            </p>
          </>
        ),
      },
      {
        id: 'notes',
        title: 'Notes and shared summaries',
        body: () => (
          <>
            <p>
              After <strong>End visit for both</strong> you land on the visit’s notes. You can also reach them
              from <strong>Patients</strong>, from <strong>Notes and summary for …</strong> on your schedule,
              or from <strong>Visits without notes</strong>.
            </p>
            <ul>
              <li>
                <strong>Notes (only you see these)</strong>: your clinical notes.
              </li>
              <li>
                <strong>Summary for the patient</strong>: plain words for the patient.
              </li>
              <li>
                Tick <strong>Share summary with patient</strong> and choose <strong>Save notes</strong>. The
                patient reads it in their consultation history.
              </li>
            </ul>
          </>
        ),
      },
      {
        id: 'availability',
        title: 'Availability',
        body: () => (
          <>
            <p>
              Under <strong>Availability</strong>:
            </p>
            <ul>
              <li>
                <strong>Time zone</strong> your weekly hours are in, and <strong>Slot length</strong> (10 to
                120 minutes).
              </li>
              <li>
                <strong>Minimum booking notice</strong>: how soon a new booking may start (blank: the
                practice’s notice).
              </li>
              <li>
                <strong>Weekly hours</strong>: <strong>Add hours</strong> for each day, or copy Monday’s hours{' '}
                <strong>to weekdays</strong> or <strong>to every day</strong>. An end time of 00:00 means
                midnight.
              </li>
              <li>
                <strong>One-off hours</strong> for a single date, and <strong>Add a day off</strong> for dates
                closed all day. The <strong>preview</strong> shows the times your hours offer as you type.
              </li>
              <li>
                Choose <strong>Save availability</strong>. Until you save hours once, patients cannot book
                you.
              </li>
            </ul>
          </>
        ),
      },
      {
        id: 'sessions',
        title: 'Signing in and out',
        body: () => (
          <p>
            You are signed out after a while without activity (usually 15 minutes), after a one-minute warning
            (choose <strong>Stay signed in</strong>); an open video call counts as activity. Staff sessions
            end after 12 hours at most. Signing out in one tab signs out every tab.
          </p>
        ),
      },
    ],
  },
};
