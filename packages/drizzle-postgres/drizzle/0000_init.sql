CREATE TABLE "api_tokens" (
	"id" text NOT NULL,
	"user_id" text NOT NULL,
	"workspace_id" text NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_pkey" PRIMARY KEY("workspace_id","id"),
	CONSTRAINT "api_tokens_id_valid" CHECK ("api_tokens"."id" ~ '^[A-Za-z0-9_-]{1,64}$'),
	CONSTRAINT "api_tokens_name_length" CHECK (char_length("api_tokens"."name") between 1 and 100),
	CONSTRAINT "api_tokens_token_hash_length" CHECK (char_length("api_tokens"."token_hash") between 1 and 256)
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"actor_id" text NOT NULL,
	"action" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"credential_id" text,
	"changes" jsonb NOT NULL,
	CONSTRAINT "audit_events_pkey" PRIMARY KEY("workspace_id","id"),
	CONSTRAINT "audit_events_id_valid" CHECK ("audit_events"."id" ~ '^[A-Za-z0-9_-]{1,64}$'),
	CONSTRAINT "audit_events_actor_id_valid" CHECK ("audit_events"."actor_id" ~ '^[A-Za-z0-9_-]{1,64}$'),
	CONSTRAINT "audit_events_action_valid" CHECK ("audit_events"."action" in ('JIRA_CONFIG_CREATED', 'JIRA_CONFIG_UPDATED', 'JIRA_CONFIG_DELETED', 'CREDENTIAL_CREATED', 'CREDENTIAL_ROTATED', 'CREDENTIAL_DELETED')),
	CONSTRAINT "audit_events_credential_id_valid" CHECK ("audit_events"."credential_id" is null or "audit_events"."credential_id" ~ '^[A-Za-z0-9_-]{1,64}$'),
	CONSTRAINT "audit_events_changes_array" CHECK (jsonb_typeof("audit_events"."changes") = 'array')
);
--> statement-breakpoint
CREATE TABLE "credentials" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"provider" text NOT NULL,
	"username" text NOT NULL,
	"secret_ref" text NOT NULL,
	"version" integer NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "credentials_pkey" PRIMARY KEY("workspace_id","id"),
	CONSTRAINT "credentials_id_valid" CHECK ("credentials"."id" ~ '^[A-Za-z0-9_-]{1,64}$'),
	CONSTRAINT "credentials_name_length" CHECK (char_length("credentials"."name") between 1 and 100),
	CONSTRAINT "credentials_kind_valid" CHECK ("credentials"."kind" = 'username_password'),
	CONSTRAINT "credentials_provider_valid" CHECK ("credentials"."provider" = 'jira'),
	CONSTRAINT "credentials_username_length" CHECK (char_length("credentials"."username") between 1 and 254),
	CONSTRAINT "credentials_secret_ref_length" CHECK (char_length("credentials"."secret_ref") between 1 and 512),
	CONSTRAINT "credentials_version_positive" CHECK ("credentials"."version" >= 1),
	CONSTRAINT "credentials_created_by_valid" CHECK ("credentials"."created_by" ~ '^[A-Za-z0-9_-]{1,64}$')
);
--> statement-breakpoint
CREATE TABLE "jira_configs" (
	"id" text NOT NULL,
	"workspace_id" text NOT NULL,
	"name" text NOT NULL,
	"base_url" text NOT NULL,
	"credential_id" text NOT NULL,
	"default_jql" text NOT NULL,
	"version" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"health_checked_at" timestamp with time zone,
	"health_ok" boolean,
	"health_account_email" text,
	"health_account_name" text,
	"health_error" text,
	CONSTRAINT "jira_configs_pkey" PRIMARY KEY("workspace_id","id"),
	CONSTRAINT "jira_configs_id_valid" CHECK ("jira_configs"."id" ~ '^[A-Za-z0-9_-]{1,64}$'),
	CONSTRAINT "jira_configs_name_length" CHECK (char_length("jira_configs"."name") between 1 and 100),
	CONSTRAINT "jira_configs_base_url_valid" CHECK ("jira_configs"."base_url" ~ '^https://[a-z0-9-]{1,63}\.atlassian\.net$'),
	CONSTRAINT "jira_configs_default_jql_length" CHECK (char_length("jira_configs"."default_jql") between 1 and 2000),
	CONSTRAINT "jira_configs_version_positive" CHECK ("jira_configs"."version" >= 1),
	CONSTRAINT "jira_configs_health_complete" CHECK (("jira_configs"."health_checked_at" is null) = ("jira_configs"."health_ok" is null) and ("jira_configs"."health_checked_at" is not null or ("jira_configs"."health_account_email" is null and "jira_configs"."health_account_name" is null and "jira_configs"."health_error" is null))),
	CONSTRAINT "jira_configs_health_account_email_length" CHECK (char_length("jira_configs"."health_account_email") between 0 and 1000),
	CONSTRAINT "jira_configs_health_account_name_length" CHECK (char_length("jira_configs"."health_account_name") between 0 and 1000),
	CONSTRAINT "jira_configs_health_error_length" CHECK (char_length("jira_configs"."health_error") between 0 and 4000)
);
--> statement-breakpoint
CREATE TABLE "memberships" (
	"user_id" text NOT NULL,
	"workspace_id" text NOT NULL,
	"role" text NOT NULL,
	CONSTRAINT "memberships_pkey" PRIMARY KEY("user_id","workspace_id"),
	CONSTRAINT "memberships_role_valid" CHECK ("memberships"."role" in ('admin', 'viewer'))
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"workspace_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sessions_id_hash_length" CHECK (char_length("sessions"."id_hash") between 1 and 256)
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "users_id_valid" CHECK ("users"."id" ~ '^[A-Za-z0-9_-]{1,64}$'),
	CONSTRAINT "users_email_length" CHECK (char_length("users"."email") between 3 and 254),
	CONSTRAINT "users_display_name_length" CHECK (char_length("users"."display_name") between 0 and 100),
	CONSTRAINT "users_password_hash_length" CHECK (char_length("users"."password_hash") between 0 and 1024)
);
--> statement-breakpoint
CREATE TABLE "workspaces" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "workspaces_id_valid" CHECK ("workspaces"."id" ~ '^[A-Za-z0-9_-]{1,64}$'),
	CONSTRAINT "workspaces_name_length" CHECK (char_length("workspaces"."name") between 1 and 100)
);
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credentials" ADD CONSTRAINT "credentials_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jira_configs" ADD CONSTRAINT "jira_configs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jira_configs" ADD CONSTRAINT "jira_configs_credential_fk" FOREIGN KEY ("workspace_id","credential_id") REFERENCES "public"."credentials"("workspace_id","id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_token_hash_unique" ON "api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "api_tokens_owner" ON "api_tokens" USING btree ("user_id","workspace_id");--> statement-breakpoint
CREATE INDEX "audit_events_page" ON "audit_events" USING btree ("workspace_id","at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE UNIQUE INDEX "credentials_name_unique" ON "credentials" USING btree ("workspace_id",lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "jira_configs_workspace_unique" ON "jira_configs" USING btree ("workspace_id");--> statement-breakpoint
CREATE INDEX "sessions_expires_at" ON "sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_unique" ON "users" USING btree (lower("email"));