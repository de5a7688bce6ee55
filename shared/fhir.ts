/**
 * The FHIR R4 resources the read-only `/fhir` routes answer (docs/adr/0017-fhir-export.md): the
 * few elements we fill in, typed loosely enough to stay small. Validated against HL7's R4 JSON schema
 * in the tests.
 */

/** FHIR's media type: what the `/fhir` routes answer, errors included (as OperationOutcome). */
export const FHIR_MEDIA_TYPE = 'application/fhir+json';

export interface FhirReference {
  reference: string;
  display?: string;
}

export interface FhirCoding {
  system: string;
  code: string;
  display?: string;
}

/** One resource; `resourceType` and `id` always, the rest per type. */
export interface FhirResource {
  resourceType: string;
  id: string;
  [element: string]: unknown;
}

export interface FhirBundle {
  resourceType: 'Bundle';
  id: string;
  type: 'searchset';
  timestamp: string;
  total: number;
  entry: { resource: FhirResource; search: { mode: 'match' | 'include' } }[];
}

export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue: {
    severity: 'error';
    /** FHIR's issue type (`forbidden`, `not-found`, `invalid`, `login`, ...). */
    code: string;
    /** Our error code, as in the JSON errors of the other routes. */
    details: { coding: FhirCoding[]; text: string };
    diagnostics: string;
  }[];
}

/** The system of our error codes in an OperationOutcome's `details`. */
export const ERROR_CODE_SYSTEM = 'urn:telehealth:error';

/** Our error code in either error shape: `{ error: { code } }` or an OperationOutcome. */
export function errorOf(json: unknown): { code?: string; message?: string } | undefined {
  const body = json as
    | {
        error?: { code?: string; message?: string };
        resourceType?: string;
        issue?: OperationOutcome['issue'];
      }
    | undefined;
  if (body?.resourceType === 'OperationOutcome') {
    const issue = body.issue?.[0];
    return { code: issue?.details?.coding?.[0]?.code, message: issue?.diagnostics };
  }
  return body?.error;
}

/** `fhir-visit-2026-03-01-<id8>.json`: the file name of a downloaded Bundle. */
export const fhirFileName = (kind: 'visit' | 'patient', id: string, at: string) =>
  `fhir-${kind}-${at.slice(0, 10)}-${id.slice(0, 8)}.json`;
