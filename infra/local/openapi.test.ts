import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { httpRouteList, wsRouteList } from '../../functions/routes';
import { FHIR_MEDIA_TYPE } from '../../shared/fhir';
import { OPENAPI_PATH, openApiDocument, renderOpenApi } from './openapi';

type Operation = {
  operationId: string;
  security: unknown[];
  'x-roles': string[];
  requestBody?: unknown;
  parameters?: { name: string; in: string }[];
  responses: Record<string, unknown>;
};
const doc = openApiDocument() as {
  paths: Record<string, Record<string, Operation>>;
  'x-websocket': { routes: { route: string; frame?: unknown }[] };
};
const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
);

describe('the OpenAPI document, generated from the contract', () => {
  it('lists every REST route of the contract once, by method and path', () => {
    expect(operations).toHaveLength(httpRouteList.length);
    expect(operations.map((o) => `${o.method} ${o.path} ${o.op.operationId}`).sort()).toEqual(
      httpRouteList.map((r) => `${r.method} ${r.path} ${r.id}`).sort(),
    );
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('asks for the Cognito token on every route but the public ones, and names the roles', () => {
    for (const route of httpRouteList) {
      const op = doc.paths[route.path]![route.method.toLowerCase()]!;
      if (route.roles === 'public') {
        expect(op.security).toEqual([]);
        expect(op.responses['401']).toBeUndefined();
      } else {
        expect(op.security).toEqual([{ cognitoIdToken: [] }]);
        expect(op['x-roles']).toEqual(route.roles);
        // The FHIR routes answer their errors as OperationOutcomes.
        const forbidden = route.produces === FHIR_MEDIA_TYPE ? 'FhirError' : 'Forbidden';
        expect(op.responses['403']).toEqual({ $ref: `#/components/responses/${forbidden}` });
        expect(op.responses['401']).toEqual({ $ref: '#/components/responses/Unauthorized' });
      }
      expect(Object.keys(op.responses)).toContain(String(route.status ?? 200));
      expect(op.requestBody !== undefined).toBe(route.body !== undefined);
    }
  });

  it('turns path templates and query schemas into parameters', () => {
    const slots = doc.paths['/doctors/{doctorId}/slots']!.get!;
    expect(slots.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual(
      expect.arrayContaining(['path:doctorId', 'query:from', 'query:to']),
    );
  });

  it('describes every WebSocket action with its frame schema', () => {
    expect(doc['x-websocket'].routes.map((r) => r.route)).toEqual(wsRouteList.map((r) => r.route));
    for (const route of wsRouteList.filter((r) => r.frame)) {
      expect(doc['x-websocket'].routes.find((r) => r.route === route.route)?.frame).toMatchObject({
        type: 'object',
      });
    }
  });

  it('docs/openapi.json is the generated document (run `npm run docs:api` after changing a route)', () => {
    expect(readFileSync(OPENAPI_PATH, 'utf8')).toBe(renderOpenApi());
  });
});
