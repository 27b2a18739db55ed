"""The database itself refuses UPDATE, DELETE and TRUNCATE on the audit log.

Only ``enlace_audit_purge(cutoff)`` may delete, and only entries older than 365 days: the
trigger checks both the transaction-local flag the function sets and each row's age, so even a
forged flag cannot remove an entry younger than the retention floor. See docs/AUDIT.md.
"""

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION enlace_audit_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('enlace.audit_purge', true) = 'on'
       AND OLD.at < now() - interval '365 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_no_change
    BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION enlace_audit_refuse_change();

CREATE TRIGGER audit_no_truncate
    BEFORE TRUNCATE ON audit_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION enlace_audit_refuse_change();

-- The one controlled way to delete: entries older than the cutoff, never younger than
-- 365 days. SECURITY DEFINER so an application role with only INSERT/SELECT may call it.
-- Returns the number removed and the id and hash of the newest removed entry (the anchor).
CREATE OR REPLACE FUNCTION enlace_audit_purge(cutoff timestamptz)
RETURNS TABLE (purged bigint, last_id bigint, last_hash varchar)
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    keep_from bigint;
BEGIN
    IF cutoff > now() - interval '365 days' THEN
        RAISE EXCEPTION 'audit entries are kept at least 365 days; cutoff % is too recent', cutoff
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM pg_advisory_xact_lock(1162759233);  -- the chain lock of audit/log.py
    PERFORM set_config('enlace.audit_purge', 'on', true);
    -- Remove a prefix of the chain (ids below the first entry at or after the cutoff), and
    -- always keep the newest entry, so what remains still links to a recorded anchor.
    SELECT LEAST(
        (SELECT min(e.id) FROM audit_auditentry e WHERE e.at >= cutoff),
        (SELECT max(e.id) FROM audit_auditentry e)
    ) INTO keep_from;
    SELECT e.id, e.entry_hash INTO last_id, last_hash
        FROM audit_auditentry e WHERE e.id < keep_from ORDER BY e.id DESC LIMIT 1;
    WITH gone AS (DELETE FROM audit_auditentry e WHERE e.id < keep_from RETURNING 1)
        SELECT count(*) INTO purged FROM gone;
    PERFORM set_config('enlace.audit_purge', 'off', true);
    RETURN NEXT;
END
$$;
REVOKE ALL ON FUNCTION enlace_audit_purge(timestamptz) FROM PUBLIC;
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS audit_no_change ON audit_auditentry;
DROP TRIGGER IF EXISTS audit_no_truncate ON audit_auditentry;
DROP FUNCTION IF EXISTS enlace_audit_purge(timestamptz);
DROP FUNCTION IF EXISTS enlace_audit_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
