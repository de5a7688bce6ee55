import { useNavigate } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import { DELETION_CONFIRMATION, dataExportFileName } from '../../../shared/data-rights';
import { client } from '../api';
import { errorMessage } from '../appointments';
import { profile, signOut } from '../session';
import { Field, FormError } from './Field';

/** Hands `data` to the browser as a JSON file download. */
function saveJson(data: unknown, fileName: string) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken its copy by the next turn; the blob need not outlive it.
  setTimeout(() => URL.revokeObjectURL(url));
}

/** The patient's data rights in the profile: a copy of their data, and deleting their account. */
export function DataRights() {
  const [downloading, setDownloading] = createSignal(false);
  const [downloadError, setDownloadError] = createSignal<string>();
  const [typed, setTyped] = createSignal('');
  const [confirmError, setConfirmError] = createSignal<string>();
  const [deleteError, setDeleteError] = createSignal<string>();
  const [deleting, setDeleting] = createSignal(false);
  const navigate = useNavigate();
  let dialog: HTMLDialogElement | undefined;

  const download = async () => {
    setDownloadError(undefined);
    setDownloading(true);
    try {
      const data = await client.call('exportMyData');
      saveJson(data, dataExportFileName(data.exportedAt));
    } catch (err) {
      setDownloadError(errorMessage(err, 'Your data could not be prepared. Please try again.'));
    } finally {
      setDownloading(false);
    }
  };

  const openDialog = () => {
    setTyped('');
    setConfirmError(undefined);
    setDeleteError(undefined);
    dialog?.showModal();
  };

  const confirmDeletion = async (e: SubmitEvent) => {
    e.preventDefault();
    if (typed().trim() !== DELETION_CONFIRMATION) {
      setConfirmError(`Type ${DELETION_CONFIRMATION} in capital letters to confirm`);
      return;
    }
    setConfirmError(undefined);
    setDeleteError(undefined);
    setDeleting(true);
    try {
      await client.call('deleteMyAccount', { confirm: DELETION_CONFIRMATION });
    } catch (err) {
      setDeleting(false);
      setDeleteError(errorMessage(err, 'Your account could not be deleted. Please try again.'));
      return;
    }
    dialog?.close();
    // The server has ended every session already; this clears this browser's copy of it.
    await signOut();
    navigate('/account-deleted', { replace: true });
  };

  return (
    <Show when={profile()?.role === 'patient'}>
      <section class="data-rights" aria-labelledby="data-rights-title">
        <h3 id="data-rights-title">Your data</h3>
        <p class="hint">
          A copy of everything we hold about you: profile, appointments, shared visit summaries, chat
          messages, consents and texts.
        </p>
        <FormError message={downloadError()} />
        <div class="button-row">
          <button type="button" class="secondary" disabled={downloading()} onClick={() => void download()}>
            {downloading() ? 'Preparing your download…' : 'Download my data'}
          </button>
          <button type="button" class="danger" aria-haspopup="dialog" onClick={openDialog}>
            Delete my account
          </button>
        </div>
      </section>
      <dialog
        ref={(el) => (dialog = el)}
        class="confirm-dialog"
        aria-labelledby="delete-title"
        aria-describedby="delete-what"
      >
        <form onSubmit={(e) => void confirmDeletion(e)} novalidate>
          <h2 id="delete-title">Delete your account?</h2>
          <div id="delete-what">
            <p>This cannot be undone.</p>
            <ul>
              <li>Your upcoming appointments are cancelled and your doctors are told.</li>
              <li>You are signed out everywhere and can no longer sign in.</li>
              <li>Your name, email, mobile number and date of birth are erased from your profile.</li>
            </ul>
            <p>
              Your visit records, visit notes, chat messages and consents, and the log of who accessed them,
              are kept for as long as the law requires medical records to be kept. Download your data first if
              you want a copy.
            </p>
          </div>
          <FormError message={deleteError()} />
          <Field
            label={`Type ${DELETION_CONFIRMATION} to confirm`}
            name="delete-confirm"
            autocomplete="off"
            autocapitalize="characters"
            value={typed()}
            onInput={(e) => setTyped(e.currentTarget.value)}
            error={confirmError()}
          />
          <div class="button-row">
            <button type="submit" class="danger" disabled={deleting()}>
              {deleting() ? 'Deleting your account…' : 'Delete my account'}
            </button>
            <button type="button" class="secondary" disabled={deleting()} onClick={() => dialog?.close()}>
              Keep my account
            </button>
          </div>
        </form>
      </dialog>
    </Show>
  );
}
