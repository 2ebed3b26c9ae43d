ALTER TABLE "jira_configs" ADD COLUMN "route" text;--> statement-breakpoint
ALTER TABLE "jira_configs" ADD COLUMN "cloud_id" text;--> statement-breakpoint
ALTER TABLE "jira_configs" ADD COLUMN "health_route" text;--> statement-breakpoint
ALTER TABLE "jira_configs" ADD COLUMN "health_cloud_id" text;--> statement-breakpoint
ALTER TABLE "jira_configs" ADD CONSTRAINT "jira_configs_route_valid" CHECK ("jira_configs"."route" in ('site', 'gateway') and "jira_configs"."health_route" in ('site', 'gateway'));--> statement-breakpoint
ALTER TABLE "jira_configs" ADD CONSTRAINT "jira_configs_gateway_has_cloud_id" CHECK ("jira_configs"."route" is distinct from 'gateway' or "jira_configs"."cloud_id" is not null);--> statement-breakpoint
ALTER TABLE "jira_configs" ADD CONSTRAINT "jira_configs_cloud_id_length" CHECK (char_length("jira_configs"."cloud_id") between 1 and 100);--> statement-breakpoint
ALTER TABLE "jira_configs" ADD CONSTRAINT "jira_configs_health_cloud_id_length" CHECK (char_length("jira_configs"."health_cloud_id") between 1 and 100);