import { dnsLabelPattern, type ErrorCode, envKeyPattern, HelixError } from '@helixstack/sdk';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

interface ValidationIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

function fieldOf(issue: ValidationIssue, context: string | undefined): string {
  const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const missing = issue.params.missingProperty ?? issue.params.additionalProperty;
  const field = [path, typeof missing === 'string' ? missing : ''].filter(Boolean).join('.');
  return field || context || 'body';
}

function fromValidation(error: FastifyError): HelixError {
  const issue = error.validation?.[0] as ValidationIssue | undefined;
  const context = error.validationContext;
  if (!issue) return new HelixError('HLX_VALIDATION');
  const field = fieldOf(issue, context);
  if (issue.keyword === 'pattern' && issue.params.pattern === dnsLabelPattern) {
    return new HelixError(
      'HLX_INVALID_NAME',
      `"${field}" must be a DNS label: a-z, 0-9 and "-", at most 63.`,
      {
        field,
      },
    );
  }
  if (issue.keyword === 'pattern' && issue.params.pattern === envKeyPattern) {
    return new HelixError('HLX_INVALID_ENV_KEY', `"${field}" must match [A-Za-z_][A-Za-z0-9_]*.`, { field });
  }
  if (issue.keyword === 'additionalProperties') {
    return new HelixError('HLX_VALIDATION', `Unknown field "${field}" in ${context}.`, { field });
  }
  return new HelixError('HLX_VALIDATION', `"${field}" ${issue.message ?? 'is invalid'} (${context}).`, {
    field,
    keyword: issue.keyword,
  });
}

const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'HLX_PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'HLX_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'HLX_BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'HLX_INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'HLX_INVALID_JSON',
};

/** Maps anything thrown to the one error shape; unknown errors become HLX_INTERNAL without detail. */
export function toHelixError(error: FastifyError | Error): HelixError {
  if (error instanceof HelixError) return error;
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) return fromValidation(fastifyError);
  const mapped = fastifyError.code ? fastifyCodes[fastifyError.code] : undefined;
  if (mapped) return new HelixError(mapped);
  if (error instanceof SyntaxError || fastifyError.statusCode === 400)
    return new HelixError('HLX_INVALID_JSON');
  if (fastifyError.statusCode === 413) return new HelixError('HLX_PAYLOAD_TOO_LARGE');
  if (fastifyError.statusCode === 415) return new HelixError('HLX_UNSUPPORTED_MEDIA_TYPE');
  return new HelixError('HLX_INTERNAL');
}

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const helixError = toHelixError(error);
  if (helixError.status >= 500) request.log.error({ err: error }, 'request failed');
  return reply.status(helixError.status).send(helixError.toJSON());
}

export function notFoundHandler(_request: FastifyRequest, reply: FastifyReply) {
  return reply.status(404).send(new HelixError('HLX_ROUTE_NOT_FOUND').toJSON());
}
