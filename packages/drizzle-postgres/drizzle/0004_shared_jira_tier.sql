CREATE TABLE "jira_answer_claims" (
	"key_hash" text PRIMARY KEY NOT NULL,
	"holder" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "jira_answers" (
	"key_hash" text PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"value" jsonb NOT NULL,
	"fetched_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"stale_until" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "jira_site_limits" (
	"site" text PRIMARY KEY NOT NULL,
	"paused_until" timestamp with time zone,
	"pause_reason" text,
	"slow_until" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "jira_answers_fetched_at" ON "jira_answers" USING btree ("fetched_at");--> statement-breakpoint
CREATE INDEX "jira_answers_stale_until" ON "jira_answers" USING btree ("stale_until");--> statement-breakpoint
-- A cache and its coordination: not worth the WAL; a crash empties them, which reads as a cold cache.
ALTER TABLE "jira_answers" SET UNLOGGED;--> statement-breakpoint
ALTER TABLE "jira_answer_claims" SET UNLOGGED;--> statement-breakpoint
ALTER TABLE "jira_site_limits" SET UNLOGGED;
