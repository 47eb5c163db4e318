CREATE TABLE "access_records" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"deployment_id" text,
	"project_id" text,
	"host" text NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"status" integer NOT NULL,
	"duration_ms" double precision NOT NULL,
	"bytes_in" integer NOT NULL,
	"bytes_out" integer NOT NULL,
	"request_id" text,
	"time" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "host_labels" (
	"label" text PRIMARY KEY NOT NULL,
	"project_id" text NOT NULL,
	"kind" text NOT NULL,
	"branch" text,
	"deployment_id" text,
	"previous_deployment_id" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"state" text DEFAULT 'queued' NOT NULL,
	"concurrency_key" text NOT NULL,
	"deployment_id" text,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 3 NOT NULL,
	"run_after" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_owner" text,
	"lease_expires_at" timestamp with time zone,
	"cancel_requested" boolean DEFAULT false NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "log_lines" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"deployment_id" text NOT NULL,
	"source" text NOT NULL,
	"stream" text NOT NULL,
	"text" text NOT NULL,
	"time" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "branch" text;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "env_overrides_sealed" text;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "plan" jsonb;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "artifact" jsonb;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "runtime_handle" jsonb;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "desired" text DEFAULT 'running' NOT NULL;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "instance" jsonb;--> statement-breakpoint
ALTER TABLE "host_labels" ADD CONSTRAINT "host_labels_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "host_labels" ADD CONSTRAINT "host_labels_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "log_lines" ADD CONSTRAINT "log_lines_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "access_records_deployment_idx" ON "access_records" USING btree ("deployment_id","seq");--> statement-breakpoint
CREATE INDEX "host_labels_project_idx" ON "host_labels" USING btree ("project_id");--> statement-breakpoint
CREATE INDEX "jobs_claim_idx" ON "jobs" USING btree ("state","run_after");--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_one_running_per_key_idx" ON "jobs" USING btree ("concurrency_key") WHERE state = 'running';--> statement-breakpoint
CREATE INDEX "log_lines_deployment_idx" ON "log_lines" USING btree ("deployment_id","seq");