/** "Help" from the call page: a new tab, so the call carries on; doctors land on dropped calls, patients on camera trouble. */
export function CallHelpLink(props: { doctor: boolean }) {
  const href = () => (props.doctor ? '/help/doctor#patient-drops' : '/help/patient#camera');
  return (
    <p class="help-link">
      <a href={href()} target="_blank" rel="noopener">
        Help<span class="sr-only"> (opens in a new tab)</span>
      </a>
    </p>
  );
}
