/*
 * The service worker only makes the app installable and shows a friendly page when a navigation
 * fails offline. It caches the offline page and its assets, nothing else: API answers and
 * config.json carry health data or live settings and must never sit in a cache, so every request
 * other than a page navigation is left to the browser untouched.
 */
const CACHE = 'telehealth-offline-v1';
const OFFLINE_URL = '/offline.html';
const PRECACHE = [OFFLINE_URL, '/offline.css', '/favicon.svg'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  const sameOrigin = url.origin === self.location.origin;
  if (sameOrigin && (url.pathname.startsWith('/api') || url.pathname === '/config.json')) return;

  if (request.mode === 'navigate') {
    // Network only; the cached offline page is the answer when the network is not there.
    event.respondWith(
      fetch(request).catch(() =>
        caches
          .open(CACHE)
          .then((cache) => cache.match(OFFLINE_URL))
          .then((page) => page ?? Response.error()),
      ),
    );
    return;
  }

  // The offline page's own stylesheet and icon, served from the cache only when the network fails.
  if (sameOrigin && PRECACHE.includes(url.pathname)) {
    event.respondWith(
      fetch(request).catch(() =>
        caches
          .open(CACHE)
          .then((cache) => cache.match(url.pathname))
          .then((asset) => asset ?? Response.error()),
      ),
    );
  }
});
