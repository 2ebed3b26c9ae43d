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
CREATE INDEX "login_attempts_expires_at" ON "login_attempts" USING btree ("expires_at");