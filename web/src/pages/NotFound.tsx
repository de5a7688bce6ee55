import { A } from '@solidjs/router';

export default function NotFound() {
  return (
    <section class="card narrow">
      <h1>Page not found</h1>
      <p>
        <A href="/login">Go to the start page</A>
      </p>
    </section>
  );
}
