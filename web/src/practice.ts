import { createResource, type Resource } from 'solid-js';
import type { Practice } from '../../shared/practice';
import { loadConfig } from './config';

/** The practice of this deployment (config.json); undefined while loading or when it failed. */
export function usePractice(): Resource<Practice | undefined> {
  const [practice] = createResource(() =>
    loadConfig().then(
      (config) => config.practice,
      () => undefined,
    ),
  );
  return practice;
}

/** `tel:` link target of a phone number in international format. */
export const telHref = (phone: string) => `tel:${phone}`;
