CREATE TABLE "login_attempts" (
	"key" text PRIMARY KEY NOT NULL,
	"attempts" integer NOT NULL,
	"max_attempts" integer NOT NULL,
	"window_started_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "login_attempts_key_length" CHECK (char_length("login_attempts"."key") between 1 and 400),
	CONSTRAINT "login_attempts_attempts_range" CHECK ("login_attempts"."attempts" between 0 and "login_attempts"."max_attempts" + 1)
);
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "login_attempts_expires_at" ON "login_attempts" USING btree ("expires_at");--> statement-breakpoint
-- Tokens made before expiry existed never expired: they now end 90 days after this migration, the default for new ones.
UPDATE "api_tokens" SET "expires_at" = now() + interval '90 days' WHERE "revoked_at" IS NULL;
