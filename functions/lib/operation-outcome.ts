/** The errors of the `/fhir` routes as FHIR states them (docs/adr/0017-fhir-export.md). */
import { ERROR_CODE_SYSTEM, type OperationOutcome } from '../../shared/fhir';

/** FHIR's issue type for each HTTP status our errors use. */
function issueType(status: number): string {
  if (status === 401) return 'login';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 413) return 'too-costly';
  if (status === 415 || status === 422 || status === 400) return 'invalid';
  if (status === 429) return 'throttled';
  return 'exception';
}

/** An error as FHIR states one: the answer of the `/fhir` routes that fail. */
export function operationOutcome(status: number, code: string, message: string): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: 'error',
        code: issueType(status),
        details: { coding: [{ system: ERROR_CODE_SYSTEM, code }], text: message },
        diagnostics: message,
      },
    ],
  };
}
