import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/** Roles in the order of what they may do; a token never carries more than its creator. */
export const roles = ['viewer', 'developer', 'admin', 'owner'] as const;
export type Role = (typeof roles)[number];

export const environmentKinds = ['production', 'preview', 'development', 'custom'] as const;
export type EnvironmentKind = (typeof environmentKinds)[number];

export { type DeploymentState, deploymentStates } from '@helixstack/core';

import { deploymentStates } from '@helixstack/core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const users = pgTable('users', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  createdAt: createdAt(),
});

export const organizations = pgTable('organizations', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  createdAt: createdAt(),
});

export const memberships = pgTable(
  'memberships',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: roles }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.userId] })],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    role: text('role', { enum: roles }).notNull(),
    /** sha256 of the token; the token itself is shown once and never stored. */
    tokenHash: text('token_hash').notNull().unique(),
    /** The first characters of the token, so a user can tell their tokens apart. */
    prefix: text('prefix').notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('api_tokens_org_idx').on(t.orgId, t.id)],
);

/** Project names are unique across the installation because they become hostnames. */
export const projects = pgTable(
  'projects',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull().unique(),
    createdAt: createdAt(),
  },
  (t) => [index('projects_org_idx').on(t.orgId, t.id)],
);

/** Rows that belong to a project (or environment) go with it. */
const projectRef = () =>
  text('project_id')
    .notNull()
    .references(() => projects.id, { onDelete: 'cascade' });
const environmentRef = () =>
  text('environment_id')
    .notNull()
    .references(() => environments.id, { onDelete: 'cascade' });

export const environments = pgTable(
  'environments',
  {
    id: text('id').primaryKey(),
    projectId: projectRef(),
    name: text('name').notNull(),
    kind: text('kind', { enum: environmentKinds }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('environments_project_name_idx').on(t.projectId, t.name)],
);

export const envVars = pgTable(
  'env_vars',
  {
    id: text('id').primaryKey(),
    projectId: projectRef(),
    environmentId: environmentRef(),
    key: text('key').notNull(),
    /** AES-256-GCM sealed value; see secret-box.ts. */
    valueSealed: text('value_sealed').notNull(),
    sensitive: boolean('sensitive').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('env_vars_environment_key_idx').on(t.environmentId, t.key)],
);

/** Deployments are immutable records: only their state and its timestamps move. */
export const deployments = pgTable(
  'deployments',
  {
    id: text('id').primaryKey(),
    projectId: projectRef(),
    environmentId: environmentRef(),
    state: text('state', { enum: deploymentStates }).notNull().default('QUEUED'),
    source: jsonb('source').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    meta: jsonb('meta').$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
    errorMessage: text('error_message'),
    /** The git branch it was deployed from, which names its branch alias. */
    branch: text('branch'),
    /** --env overrides given at deploy time, sealed like env var values. */
    envOverridesSealed: text('env_overrides_sealed'),
    /** The builder's plan and the artifact it produced (SDK BuildPlan and Artifact). */
    plan: jsonb('plan').$type<Record<string, unknown>>(),
    artifact: jsonb('artifact').$type<Record<string, unknown>>(),
    /** Where it runs (SDK RuntimeHandle), and whether the reconciler should keep it running. */
    runtimeHandle: jsonb('runtime_handle').$type<Record<string, unknown>>(),
    desired: text('desired', { enum: ['running', 'stopped'] })
      .notNull()
      .default('running'),
    /** Last instance state the reconciler saw (running, crash-loop, ...), for helix inspect. */
    instance: jsonb('instance').$type<Record<string, unknown>>(),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    readyAt: timestamp('ready_at', { withTimezone: true }),
  },
  (t) => [index('deployments_project_idx').on(t.projectId, t.id)],
);

export const domains = pgTable(
  'domains',
  {
    id: text('id').primaryKey(),
    projectId: projectRef(),
    environmentId: environmentRef(),
    hostname: text('hostname').notNull().unique(),
    createdAt: createdAt(),
  },
  (t) => [index('domains_project_idx').on(t.projectId, t.id)],
);

/** Append-only; org_id is not a foreign key so that the trail outlives what it describes. */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    actorUserId: text('actor_user_id'),
    actorTokenId: text('actor_token_id'),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id').notNull(),
    sourceIp: text('source_ip'),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: createdAt(),
  },
  (t) => [index('audit_events_org_idx').on(t.orgId, t.id)],
);

/**
 * Hostname labels under the base domain, one table so that a clash between a project,
 * a deployment URL and a branch alias is refused by the primary key, never taken over.
 * kind production: `<project>`; deployment: `<project>-<short id>`; branch: `<project>-git-<slug>`.
 */
export const hostLabels = pgTable(
  'host_labels',
  {
    label: text('label').primaryKey(),
    projectId: projectRef(),
    kind: text('kind', { enum: ['production', 'deployment', 'branch'] }).notNull(),
    branch: text('branch'),
    /** Where the label points; null until the first deployment is ready. */
    deploymentId: text('deployment_id').references(() => deployments.id, { onDelete: 'set null' }),
    /** The deployment it pointed at before the last move, for rollback. */
    previousDeploymentId: text('previous_deployment_id'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('host_labels_project_idx').on(t.projectId)],
);

export const jobStates = ['queued', 'running', 'succeeded', 'failed', 'canceled'] as const;
export type JobState = (typeof jobStates)[number];

/**
 * The durable job queue of the build plane. A worker claims a job by taking its lease;
 * a lease not renewed by heartbeats expires and the job is claimed again.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    state: text('state', { enum: jobStates }).notNull().default('queued'),
    /** At most one running job per key (project and environment for builds). */
    concurrencyKey: text('concurrency_key').notNull(),
    deploymentId: text('deployment_id').references(() => deployments.id, { onDelete: 'cascade' }),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(3),
    runAfter: timestamp('run_after', { withTimezone: true }).notNull().defaultNow(),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: timestamp('lease_expires_at', { withTimezone: true }),
    cancelRequested: boolean('cancel_requested').notNull().default(false),
    lastError: text('last_error'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('jobs_claim_idx').on(t.state, t.runAfter),
    uniqueIndex('jobs_one_running_per_key_idx').on(t.concurrencyKey).where(sql`state = 'running'`),
  ],
);

/** Build, runtime and system log lines of deployments; seq is the resume cursor. */
export const logLines = pgTable(
  'log_lines',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    deploymentId: text('deployment_id')
      .notNull()
      .references(() => deployments.id, { onDelete: 'cascade' }),
    source: text('source', { enum: ['build', 'runtime', 'system'] }).notNull(),
    stream: text('stream', { enum: ['stdout', 'stderr', 'system'] }).notNull(),
    text: text('text').notNull(),
    time: timestamp('time', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('log_lines_deployment_idx').on(t.deploymentId, t.seq)],
);

/** Requests served by the edge router, for analytics. */
export const accessRecords = pgTable(
  'access_records',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    deploymentId: text('deployment_id'),
    projectId: text('project_id'),
    host: text('host').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    status: integer('status').notNull(),
    durationMs: doublePrecision('duration_ms').notNull(),
    bytesIn: integer('bytes_in').notNull(),
    bytesOut: integer('bytes_out').notNull(),
    requestId: text('request_id'),
    time: timestamp('time', { withTimezone: true }).notNull(),
  },
  (t) => [index('access_records_deployment_idx').on(t.deploymentId, t.seq)],
);
