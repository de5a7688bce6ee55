import { createSignal, createUniqueId, For, Show, type JSX } from 'solid-js';
import { Dynamic } from 'solid-js/web';
import { MISSING_FEATURE_TEXT, type BrowserSupport } from '../call/support';

/**
 * In place of the device check and the call, for a browser that cannot make a video call: what is
 * missing, in plain words, which browser to use instead, and the link to open there.
 */
export function UnsupportedBrowser(props: {
  support: BrowserSupport;
  heading?: 'h2' | 'h3';
  children?: JSX.Element;
}) {
  const titleId = createUniqueId();
  const linkId = createUniqueId();
  const [copied, setCopied] = createSignal<string>();
  const link = () => window.location.href;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link());
      setCopied('Link copied. Paste it into the address bar of the other browser.');
    } catch {
      setCopied('Select the link above and copy it.');
    }
  };
  return (
    <article
      class="card unsupported-browser"
      role="alert"
      aria-labelledby={titleId}
      data-testid="unsupported-browser"
    >
      <Dynamic component={props.heading ?? 'h2'} id={titleId}>
        This browser cannot join a video visit
      </Dynamic>
      <p>It is missing:</p>
      <ul>
        <For each={props.support.missing}>{(feature) => <li>{MISSING_FEATURE_TEXT[feature]}</li>}</For>
      </ul>
      <Show when={props.support.inAppBrowser}>
        {(app) => (
          <p class="notice warning">
            You opened this link inside the {app()} app, whose built-in browser cannot make video calls. Open
            it in your phone's own browser: tap the menu (⋯ or ⋮) and choose “Open in browser” (it may say
            “Open in Safari” or “Open in Chrome”).
          </p>
        )}
      </Show>
      <p>Please open this page in one of these browsers instead:</p>
      <ul>
        <li>iPhone or iPad: Safari, on iOS 15 or newer</li>
        <li>Android phone or tablet: Chrome or Firefox</li>
        <li>Computer: a recent Chrome, Edge, Firefox or Safari</li>
      </ul>
      <label for={linkId}>Link to this page</label>
      <div class="copy-link">
        <input id={linkId} type="text" readonly value={link()} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" class="secondary" onClick={() => void copy()}>
          Copy link
        </button>
      </div>
      <p class="muted" role="status">
        {copied()}
      </p>
      {props.children}
    </article>
  );
}
