// JSON Schema validation of a vendor file (vendors.schema.json, draft-07) with messages that
// name the vendor and the field: "vendor cloudfront: rules[3].pattern: must be string".
import AjvModule from 'ajv';
import schema from './vendors.schema.json' with { type: 'json' };

const Ajv = AjvModule.default;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

const MAX_MESSAGES = 50;

/** Schema problems of a parsed file, each "vendor <id>: <field>: <reason>" (or "<field>: <reason>"). */
export function schemaProblems(data: unknown): string[] {
  if (validate(data)) return [];
  const out: string[] = [];
  for (const err of validate.errors ?? []) {
    if (err.keyword === 'if') continue; // the failing `then` branch is reported on its own
    const parts = err.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    let prefix = '';
    let fieldParts = parts;
    if (parts[0] === 'vendors' && parts[1] !== undefined) {
      const vendor = (data as { vendors: unknown[] }).vendors[Number(parts[1])];
      const id = vendor && typeof vendor === 'object' && typeof (vendor as { id?: unknown }).id === 'string' ? (vendor as { id: string }).id : `#${parts[1]}`;
      prefix = `vendor ${id}: `;
      fieldParts = parts.slice(2);
    }
    let field = '';
    for (const p of fieldParts) field += /^\d+$/.test(p) ? `[${p}]` : field === '' ? p : `.${p}`;
    let reason = err.message ?? 'invalid';
    if (err.keyword === 'additionalProperties') reason = `unknown property '${String(err.params.additionalProperty)}'`;
    if (err.keyword === 'required') {
      const missing = String(err.params.missingProperty);
      field = field === '' ? missing : `${field}.${missing}`;
      reason = 'required';
    }
    if (err.keyword === 'enum') reason += `: ${(err.params.allowedValues as unknown[]).join(', ')}`;
    out.push(field === '' ? (prefix === '' ? reason : `${prefix}${reason}`) : `${prefix}${field}: ${reason}`);
    if (out.length >= MAX_MESSAGES) break;
  }
  return [...new Set(out)];
}
