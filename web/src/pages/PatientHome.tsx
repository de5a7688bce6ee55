import { profile } from '../session';

export default function PatientHome() {
  return (
    <section aria-labelledby="patient-title">
      <h1 id="patient-title">Hello, {profile()?.name}</h1>
      <p class="lead">Your patient dashboard.</p>
      <div class="grid">
        <article class="card">
          <h2>Upcoming appointments</h2>
          <p class="empty">You have no upcoming appointments.</p>
        </article>
        <article class="card">
          <h2>Consultation history</h2>
          <p class="empty">Past consultations will appear here.</p>
        </article>
      </div>
    </section>
  );
}
