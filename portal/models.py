from __future__ import annotations

from django.db import models
from django.utils import timezone


class Probe(models.Model):
    """Written by ``portal.tasks.record_probe``: evidence that a worker ran a task."""

    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)


class DemoStep(models.Model):
    """A step of the demo region that has been loaded (``manage.py load_demo``)."""

    name = models.CharField(max_length=100, unique=True)
    loaded_at = models.DateTimeField(default=timezone.now)
