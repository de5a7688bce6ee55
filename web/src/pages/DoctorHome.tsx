import { profile } from '../session';

export default function DoctorHome() {
  return (
    <section aria-labelledby="doctor-title">
      <h1 id="doctor-title">Doctor dashboard</h1>
      <p class="lead">
        {profile()?.name}
        {profile()?.specialty ? ` · ${profile()!.specialty}` : ''}
      </p>
      <div class="grid">
        <article class="card">
          <h2>Today’s schedule</h2>
          <p class="empty">No appointments today.</p>
        </article>
        <article class="card">
          <h2>Waiting room</h2>
          <p class="empty">Nobody is waiting.</p>
        </article>
      </div>
    </section>
  );
}
