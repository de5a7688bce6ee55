import type { WebConfig } from '../../shared/api';

let loaded: Promise<WebConfig> | undefined;

/** Settings come from /config.json at runtime (stack outputs on AWS, the local platform locally). */
export function loadConfig(): Promise<WebConfig> {
  loaded ??= fetch('/config.json', { cache: 'no-store' }).then((r) => {
    if (!r.ok) throw new Error('The app configuration could not be loaded');
    return r.json() as Promise<WebConfig>;
  });
  return loaded;
}
