import { Show } from 'solid-js';
import type { AppointmentStatus } from '../../../shared/appointments';
import type { PagedList } from '../paging';

const STATUS_LABELS: Record<AppointmentStatus, string> = {
  booked: 'Booked',
  checked_in: 'Checked in',
  in_progress: 'In progress',
  completed: 'Completed',
  cancelled: 'Cancelled',
  no_show: 'No-show',
};

export const statusLabel = (status: AppointmentStatus) => STATUS_LABELS[status] ?? status;

export function StatusBadge(props: { status: AppointmentStatus }) {
  return <span class={`status status-${props.status.replace('_', '-')}`}>{statusLabel(props.status)}</span>;
}

/** The "Show more" button of a cursor-paginated list, with its own loading and error state. */
export function ShowMore<T>(props: { list: PagedList<T>; label?: string }) {
  return (
    <Show when={props.list.hasMore() || props.list.moreError()}>
      <div class="show-more">
        <Show when={props.list.moreError()}>
          <p class="error" role="alert">
            {props.list.moreError()}
          </p>
        </Show>
        <Show when={props.list.hasMore()}>
          <button
            type="button"
            class="secondary"
            disabled={props.list.loadingMore()}
            onClick={() => void props.list.loadMore()}
          >
            {props.list.loadingMore() ? 'Loading…' : (props.label ?? 'Show more')}
          </button>
        </Show>
      </div>
    </Show>
  );
}
