-- Custom SQL migration file, put your code below! --
-- The audit log is the record of who changed the Jira connection and its credentials. It must hold
-- even against a bug in the application or a hand-typed statement, so the database itself refuses to
-- change or remove an audit row; only INSERT is allowed.
CREATE FUNCTION "audit_events_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP
    USING HINT = 'Audit events are never updated or deleted.';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "audit_events_no_update_or_delete"
  BEFORE UPDATE OR DELETE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION "audit_events_refuse_change"();
--> statement-breakpoint
-- TRUNCATE skips row triggers, so it needs its own.
CREATE TRIGGER "audit_events_no_truncate"
  BEFORE TRUNCATE ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_refuse_change"();
