import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

function createAjv(options: Options): Ajv {
  const ajv = new Ajv({
    strict: false,
    allErrors: false,
    useDefaults: true,
    removeAdditional: false,
    ...options,
  });
  addFormats.default(ajv);
  return ajv;
}

/** Bodies are taken as typed; only the query string and params, which are text, get coerced. */
const strictAjv = createAjv({ coerceTypes: false });
const coercingAjv = createAjv({ coerceTypes: true });

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? strictAjv : coercingAjv;
  return ajv.compile(schema) as ReturnType<FastifySchemaCompiler<object>>;
};
