import { roles } from '@helixstack/db';
import { dnsLabelPattern, envKeyPattern, maxEnvValueBytes } from '@helixstack/sdk';
import { type TSchema, Type } from 'typebox';

/** Names that become hostnames: the error names the field. */
export const Name = Type.String({ pattern: dnsLabelPattern, minLength: 1, maxLength: 63 });
export const EnvKey = Type.String({ pattern: envKeyPattern, minLength: 1, maxLength: 256 });
/** The 64 KiB limit is in bytes, so the handler checks it: JSON Schema counts characters. */
export const EnvValue = Type.String({ description: `At most ${maxEnvValueBytes} bytes of UTF-8.` });
export const Role = Type.Enum(roles);
export const Id = Type.String({ minLength: 1, maxLength: 64 });
export const Timestamp = Type.String({ format: 'date-time' });
export const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);

export const ErrorBody = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  }),
});

export const ListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export function Page<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });
}

/** Bodies are closed: an unknown field is a 400, not silently dropped. */
export function Body<T extends Record<string, TSchema>>(properties: T) {
  return Type.Object(properties, { additionalProperties: false });
}

export const ProjectParams = Type.Object({ project: Type.String({ minLength: 1, maxLength: 64 }) });
