// A saved JSON report checked against schema/report.schema.json before anything reads
// it: a report is a file anyone may have edited (a CI artifact, a hand-made shard), and
// what reads it (merge, the HTML page) trusts its shape. Loaded only by the commands
// that read reports, so no other command pays for ajv.
import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import schema from '../../schema/report.schema.json' with { type: 'json' };

const ajv = new Ajv({ allErrors: false, strict: true, strictRequired: false });
addFormats.default(ajv, ['date-time']);
const validate = ajv.compile(schema);

/** Undefined when `data` is a report; else the first problem: `/hosts/0/status: must be one of …`. */
export function reportProblem(data: unknown): string | undefined {
  if (validate(data)) return undefined;
  return describe(validate.errors![0]!);
}

function describe(e: ErrorObject): string {
  const at = e.instancePath === '' ? '/' : e.instancePath;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'enum':
      return `${at}: must be one of ${(params.allowedValues as unknown[]).join(', ')}`;
    case 'const':
      return `${at}: must be ${JSON.stringify(params.allowedValue)}`;
    case 'format':
      return params.format === 'date-time' ? `${at}: must be a date-time (like 2024-05-01T12:00:00.000Z)` : `${at}: must be a ${String(params.format)}`;
    case 'required':
      return `${at}: missing property ${String(params.missingProperty)}`;
    case 'additionalProperties':
      return `${at}: unknown property ${String(params.additionalProperty)}`;
    case 'not':
      return `${at}: a secret change carries no before or after value`;
    default:
      return `${at}: ${e.message ?? 'does not match the report schema'}`;
  }
}
