"""Scale benchmark of Enlace: the synthetic region (``seed``) and the measurements (``measures``).

``manage.py seed_scale`` builds the region; ``make bench`` (``scripts/bench.py``) measures it and
writes ``docs/BENCHMARKS.md``. See that file for what is measured and how.
"""
