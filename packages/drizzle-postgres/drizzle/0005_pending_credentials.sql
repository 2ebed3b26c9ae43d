CREATE TABLE "pending_credentials" (
	"workspace_id" text NOT NULL,
	"credential_id" text NOT NULL,
	"secret_ref" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "pending_credentials_pkey" PRIMARY KEY("workspace_id","credential_id"),
	CONSTRAINT "pending_credentials_credential_id_valid" CHECK ("pending_credentials"."credential_id" ~ '^[A-Za-z0-9_-]{1,64}$'),
	CONSTRAINT "pending_credentials_secret_ref_length" CHECK (char_length("pending_credentials"."secret_ref") between 1 and 512)
);
--> statement-breakpoint
ALTER TABLE "pending_credentials" ADD CONSTRAINT "pending_credentials_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "pending_credentials_created_at" ON "pending_credentials" USING btree ("created_at");