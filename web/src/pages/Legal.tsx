import { A, useParams } from '@solidjs/router';
import { createResource, For, Match, Show, Switch } from 'solid-js';
import { Dynamic } from 'solid-js/web';
import { ErrorState, Loading } from '../components/Field';
import { loadConfig } from '../config';
import { parseMarkdown, type Inline } from '../markdown';

function Inlines(props: { content: Inline[] }) {
  return (
    <For each={props.content}>
      {(part) => (
        <Switch>
          <Match when={part.kind === 'strong'}>
            <strong>{part.text}</strong>
          </Match>
          <Match when={part.kind === 'link' && part}>
            {(link) => <a href={link().href}>{link().text}</a>}
          </Match>
          <Match when={true}>{part.text}</Match>
        </Switch>
      )}
    </For>
  );
}

/** The practice's terms or privacy notice (Markdown files of the practice configuration). */
export default function Legal() {
  const params = useParams();
  const [text] = createResource(
    () => params.doc,
    async (doc) => {
      const { practice } = await loadConfig();
      const response = await fetch(doc === 'privacy' ? practice.privacyUrl : practice.termsUrl);
      if (!response.ok) throw new Error('The text could not be loaded');
      return parseMarkdown(await response.text());
    },
  );
  return (
    <article class="card prose">
      <Switch>
        <Match when={text.error}>
          <ErrorState message="The text could not be loaded. Check your connection and reload the page." />
        </Match>
        <Match when={text()}>
          {(blocks) => (
            <For each={blocks()}>
              {(block) => (
                <Switch>
                  <Match when={block.kind === 'heading' && block}>
                    {(heading) => (
                      <Dynamic component={`h${heading().level}`}>
                        <Inlines content={heading().content} />
                      </Dynamic>
                    )}
                  </Match>
                  <Match when={block.kind === 'list' && block}>
                    {(list) => (
                      <Dynamic component={list().ordered ? 'ol' : 'ul'}>
                        <For each={list().items}>
                          {(item) => (
                            <li>
                              <Inlines content={item} />
                            </li>
                          )}
                        </For>
                      </Dynamic>
                    )}
                  </Match>
                  <Match when={block.kind === 'paragraph' && block}>
                    {(paragraph) => (
                      <p>
                        <Inlines content={paragraph().content} />
                      </p>
                    )}
                  </Match>
                </Switch>
              )}
            </For>
          )}
        </Match>
        <Match when={true}>
          <Loading label="Loading…" />
        </Match>
      </Switch>
      <Show when={text()}>
        <p>
          <A href="/register">Back to registration</A>
        </p>
      </Show>
    </article>
  );
}
