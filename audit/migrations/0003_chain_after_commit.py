"""Entries are sealed as they are written and chained after they commit (audit/log.py).

Writing an entry no longer waits for the chain: the chainer gives each committed entry its
place (``chain_seq``, ``prev_hash``, ``entry_hash``) under the chain lock. See docs/AUDIT.md.
"""

from django.conf import settings
from django.db import migrations, models

# Entries written before this migration were chained as they were written, in id order.
NUMBER_EXISTING = r"""
ALTER TABLE audit_auditentry DISABLE TRIGGER audit_no_change;
UPDATE audit_auditentry AS e SET chain_seq = n.seq
    FROM (SELECT id, row_number() OVER (ORDER BY id) AS seq FROM audit_auditentry) AS n
    WHERE e.id = n.id;
ALTER TABLE audit_auditentry ENABLE TRIGGER audit_no_change;
"""

# The database refuses every change but two: the purge of old chained entries (as before),
# and giving an unchained entry its place in the chain, once, with every other field as it
# was written.
FORWARD = r"""
CREATE OR REPLACE FUNCTION enlace_audit_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('enlace.audit_purge', true) = 'on'
       AND OLD.at < now() - interval '365 days'
       AND OLD.chain_seq IS NOT NULL THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE'
       AND OLD.chain_seq IS NULL
       AND NEW.chain_seq IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.entry_hash IS NOT NULL
       AND (to_jsonb(NEW) - ARRAY['chain_seq', 'prev_hash', 'entry_hash'])
           = (to_jsonb(OLD) - ARRAY['chain_seq', 'prev_hash', 'entry_hash']) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;

-- Removes a prefix of the chain (chain positions below the first entry at or after the
-- cutoff), always keeping the newest chained entry; entries not chained yet stay.
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
    SELECT LEAST(
        (SELECT min(e.chain_seq) FROM audit_auditentry e WHERE e.at >= cutoff),
        (SELECT max(e.chain_seq) FROM audit_auditentry e)
    ) INTO keep_from;
    SELECT e.id, e.entry_hash INTO last_id, last_hash
        FROM audit_auditentry e WHERE e.chain_seq < keep_from ORDER BY e.chain_seq DESC LIMIT 1;
    WITH gone AS (DELETE FROM audit_auditentry e WHERE e.chain_seq < keep_from RETURNING 1)
        SELECT count(*) INTO purged FROM gone;
    PERFORM set_config('enlace.audit_purge', 'off', true);
    RETURN NEXT;
END
$$;
REVOKE ALL ON FUNCTION enlace_audit_purge(timestamptz) FROM PUBLIC;
"""

BACKWARD = r"""
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
"""


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0002_signin_failure"),
        ("audit", "0002_append_only"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="chain_seq",
            field=models.BigIntegerField(blank=True, null=True, unique=True),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="seal",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="entry_hash",
            field=models.CharField(blank=True, max_length=64, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="prev_hash",
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(
                condition=models.Q(("chain_seq__isnull", True)),
                fields=["id"],
                name="audit_unchained",
            ),
        ),
        migrations.RunSQL(NUMBER_EXISTING, migrations.RunSQL.noop),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
