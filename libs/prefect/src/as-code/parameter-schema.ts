import { z, type ZodType } from 'zod';

/**
 * A deployment's `parameter_openapi_schema` from a zod schema, shaped like the one Prefect's
 * Python SDK derives from a flow signature: draft-7 JSON Schema (`definitions`, which the UI's
 * parameter form resolves), titled "Parameters", properties titled and ordered by `position`.
 * The *input* side of the schema is used: defaults and optional fields stay optional.
 */
export function parameterSchemaFromZod(schema: ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: 'input', target: 'draft-7' }) as Record<
    string,
    unknown
  >;
  delete json['$schema'];
  const properties = (json['properties'] ?? {}) as Record<string, Record<string, unknown>>;
  const titled: Record<string, Record<string, unknown>> = {};
  Object.entries(properties).forEach(([name, property], position) => {
    titled[name] = {
      title: name.charAt(0).toUpperCase() + name.slice(1).replaceAll('_', ' '),
      ...property,
      position,
    };
  });
  return {
    title: 'Parameters',
    type: 'object',
    ...json,
    properties: titled,
  };
}
