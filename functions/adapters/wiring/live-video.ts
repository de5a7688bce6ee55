/** Composition root for the routes that start, record or end calls: the live deps with the video provider. */
import { appointmentsContext } from './appointments';
import type { Area } from './area';
import { liveDeps, type LiveAreaDeps } from './live';
import { videoProvider } from './video';

export const liveVideoArea: Area<LiveAreaDeps> = {
  name: 'live-video',
  compose: (config, overrides) => liveDeps(appointmentsContext(config, overrides), (c) => videoProvider(c)),
};
