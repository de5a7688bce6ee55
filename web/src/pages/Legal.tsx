import { A, useParams } from '@solidjs/router';
import { PRIVACY_VERSION, TERMS_VERSION } from '../../../shared/policy';

export default function Legal() {
  const params = useParams();
  const privacy = () => params.doc === 'privacy';
  return (
    <article class="card prose">
      <h1>{privacy() ? 'Privacy notice' : 'Terms of service'}</h1>
      <p>Version {privacy() ? PRIVACY_VERSION : TERMS_VERSION}</p>
      <p>
        {privacy()
          ? 'We process your health data only to provide your care, keep it encrypted, and record who accesses it.'
          : 'Video consultations do not replace emergency services. In an emergency call your local emergency number.'}
      </p>
      <p>
        <A href="/register">Back to registration</A>
      </p>
    </article>
  );
}
