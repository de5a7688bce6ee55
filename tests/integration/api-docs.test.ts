import { describe, expect, it } from 'vitest';
import { httpRouteList } from '../../functions/routes';
import { call, platform } from './support';

describe('GET /health', () => {
  it('answers 200 without a token when the table answers', async () => {
    const res = await call('health');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'ok', checks: { table: 'ok' } });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

describe('the API documentation at /api/docs', () => {
  it('serves the OpenAPI document with every route of the contract', async () => {
    const res = await fetch(`${platform().url}/api/docs/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    for (const route of httpRouteList) {
      expect(
        doc.paths[route.path]?.[route.method.toLowerCase()],
        `${route.method} ${route.path}`,
      ).toBeDefined();
    }
  });

  it('serves a page listing the routes, without any script', async () => {
    const res = await fetch(`${platform().url}/api/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('script-src');
    const html = await res.text();
    expect(html).not.toContain('<script');
    expect(html).toContain('<code>/appointments/{appointmentId}/cancel</code>');
    expect(html).toContain('id="tag-appointments"');
  });

  it('refuses anything but reading', async () => {
    const res = await fetch(`${platform().url}/api/docs`, { method: 'POST' });
    expect(res.status).toBe(405);
  });
});
