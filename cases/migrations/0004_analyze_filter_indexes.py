"""Statistics for the new expression indexes (``upper(title)``, ``upper(reference)``).

The planner estimates how many cases a search term matches from these statistics, and the
access door chooses how to read a filtered list from that estimate (sharing/access.py): a
common word ("Santos", one case in eight) must not look rare. ``ANALYZE`` gathers them now
rather than at the next automatic analyse.
"""

from __future__ import annotations

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_filtered_list_indexes")]

    operations = [migrations.RunSQL("ANALYZE cases_case", migrations.RunSQL.noop)]
