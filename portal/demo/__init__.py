"""The demo region: believable agencies, people, trust, teams, cases, seizures and shares.

``manage.py load_demo`` runs each step in ``STEPS`` once (a step records itself in
``DemoStep``), so a second ``make demo`` starts in seconds and later steps can be added
without reloading earlier ones. Everything here is synthetic.
"""

STEPS = [
    "portal.demo.agencies",
    "portal.demo.records",
    "portal.demo.trust",
    "portal.demo.sharing",
    "portal.demo.hits",
]
