import { beforeAll, expect, it } from 'vitest';
import { fhirSchemaErrors, loadFhirSchema } from '../../tests/support/fhir-schema';
import { operationOutcome } from './operation-outcome';

beforeAll(() => void loadFhirSchema(), 60_000);

it('states an error as a valid R4 OperationOutcome with FHIR’s issue type and our code', () => {
  const outcome = operationOutcome(404, 'not_found', 'Visit not found');
  expect(fhirSchemaErrors(outcome)).toEqual([]);
  expect(outcome.issue[0]).toMatchObject({
    code: 'not-found',
    diagnostics: 'Visit not found',
    details: { coding: [{ system: 'urn:telehealth:error', code: 'not_found' }] },
  });
  const type = (status: number) => operationOutcome(status, 'x', 'm').issue[0]!.code;
  expect([400, 401, 403, 409, 413, 415, 429, 500].map(type)).toEqual([
    'invalid',
    'login',
    'forbidden',
    'conflict',
    'too-costly',
    'invalid',
    'throttled',
    'exception',
  ]);
});
