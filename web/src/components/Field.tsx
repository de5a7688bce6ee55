import { Show, splitProps, type JSX } from 'solid-js';

type InputProps = JSX.InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  name: string;
  error?: string;
  hint?: string;
};

/** The 6-digit code an authenticator app shows; a clear message otherwise. */
export function codeError(code: string): string | undefined {
  return /^\d{6}$/.test(code.trim()) ? undefined : 'Enter the 6 digits your app shows';
}

/** A labelled input whose error sits right under it and is announced with the field. */
export function Field(props: InputProps) {
  const [own, input] = splitProps(props, ['label', 'error', 'hint', 'name']);
  const id = () => `field-${own.name}`;
  const describedBy = () =>
    [own.hint ? `${id()}-hint` : '', own.error ? `${id()}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field" classList={{ invalid: !!own.error }}>
      <label for={id()}>{own.label}</label>
      <Show when={own.hint}>
        <p class="hint" id={`${id()}-hint`}>
          {own.hint}
        </p>
      </Show>
      <input
        id={id()}
        name={own.name}
        aria-invalid={own.error ? 'true' : undefined}
        aria-describedby={describedBy()}
        {...input}
      />
      <Show when={own.error}>
        <p class="error" id={`${id()}-error`}>
          {own.error}
        </p>
      </Show>
    </div>
  );
}

type CheckboxProps = JSX.InputHTMLAttributes<HTMLInputElement> & {
  name: string;
  error?: string;
  children: JSX.Element;
};

export function Checkbox(props: CheckboxProps) {
  const [own, input] = splitProps(props, ['error', 'children', 'name', 'aria-describedby']);
  const id = () => `field-${own.name}`;
  // The error, then what the caller says describes it (e.g. the terms under an opt-in).
  const describedBy = () =>
    [own.error ? `${id()}-error` : undefined, own['aria-describedby']].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field checkbox" classList={{ invalid: !!own.error }}>
      <input
        type="checkbox"
        id={id()}
        name={own.name}
        aria-invalid={own.error ? 'true' : undefined}
        aria-describedby={describedBy()}
        {...input}
      />
      <label for={id()}>{own.children}</label>
      <Show when={own.error}>
        <p class="error" id={`${id()}-error`}>
          {own.error}
        </p>
      </Show>
    </div>
  );
}

export function FormError(props: { message?: string }) {
  return (
    <div role="alert" aria-live="assertive">
      <Show when={props.message}>
        <p class="form-error">{props.message}</p>
      </Show>
    </div>
  );
}

export function Loading(props: { label?: string }) {
  return (
    <p class="loading" role="status">
      {props.label ?? 'Loading…'}
    </p>
  );
}

type TextAreaProps = JSX.TextareaHTMLAttributes<HTMLTextAreaElement> & {
  label: string;
  name: string;
  value: string;
  error?: string;
  hint?: string;
  /** Shows a live "n / max" counter and stops input at the limit. */
  max?: number;
};

/** A labelled textarea with its hint, optional character counter and error under it. */
export function TextArea(props: TextAreaProps) {
  const [own, input] = splitProps(props, ['label', 'error', 'hint', 'name', 'max', 'value']);
  const id = () => `field-${own.name}`;
  const describedBy = () =>
    [own.hint ? `${id()}-hint` : '', own.max ? `${id()}-count` : '', own.error ? `${id()}-error` : '']
      .filter(Boolean)
      .join(' ') || undefined;
  return (
    <div class="field" classList={{ invalid: !!own.error }}>
      <label for={id()}>{own.label}</label>
      <Show when={own.hint}>
        <p class="hint" id={`${id()}-hint`}>
          {own.hint}
        </p>
      </Show>
      <textarea
        id={id()}
        name={own.name}
        value={own.value}
        maxLength={own.max}
        aria-invalid={own.error ? 'true' : undefined}
        aria-describedby={describedBy()}
        {...input}
      />
      <Show when={own.max}>
        {(max) => (
          <p
            class="counter"
            classList={{ 'near-limit': own.value.length > max() * 0.9 }}
            id={`${id()}-count`}
          >
            {own.value.length} / {max()} characters
          </p>
        )}
      </Show>
      <Show when={own.error}>
        <p class="error" id={`${id()}-error`}>
          {own.error}
        </p>
      </Show>
    </div>
  );
}

type SelectProps = JSX.SelectHTMLAttributes<HTMLSelectElement> & {
  label: string;
  name: string;
  error?: string;
  hint?: string;
  children: JSX.Element;
};

export function SelectField(props: SelectProps) {
  const [own, select] = splitProps(props, ['label', 'error', 'hint', 'name', 'children']);
  const id = () => `field-${own.name}`;
  const describedBy = () =>
    [own.hint ? `${id()}-hint` : '', own.error ? `${id()}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field" classList={{ invalid: !!own.error }}>
      <label for={id()}>{own.label}</label>
      <Show when={own.hint}>
        <p class="hint" id={`${id()}-hint`}>
          {own.hint}
        </p>
      </Show>
      <select
        id={id()}
        name={own.name}
        aria-invalid={own.error ? 'true' : undefined}
        aria-describedby={describedBy()}
        {...select}
      >
        {own.children}
      </select>
      <Show when={own.error}>
        <p class="error" id={`${id()}-error`}>
          {own.error}
        </p>
      </Show>
    </div>
  );
}

/** A failed load, said plainly, with a way to try again. */
export function ErrorState(props: { message: string; onRetry?: () => void }) {
  return (
    <div class="error-state" role="alert">
      <p>{props.message}</p>
      <Show when={props.onRetry}>
        <button type="button" class="secondary" onClick={() => props.onRetry?.()}>
          Try again
        </button>
      </Show>
    </div>
  );
}
