"""Signing in applies the person's saved language (agencies/language.py). API tokens are
audited whoever creates or deletes them: the token page, the API, or an
operator's ``manage.py drf_create_token USER``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from rest_framework.authtoken.models import Token

from agencies import language
from agencies.actions import token_audit_context
from audit.log import record


@receiver(post_save, sender=Token, dispatch_uid="enlace-token-created")
def token_created(sender: type[Token], instance: Token, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    actor, request = token_audit_context()
    record(
        "auth.token_created",
        request=request,
        actor=actor,
        obj=instance.user,
        via="portal" if request is not None else "command",
    )


@receiver(post_delete, sender=Token, dispatch_uid="enlace-token-revoked")
def token_revoked(sender: type[Token], instance: Token, **kwargs: Any) -> None:
    actor, request = token_audit_context()
    record(
        "auth.token_revoked",
        request=request,
        actor=actor,
        obj=instance.user,
        via="portal" if request is not None else "command",
    )


user_logged_in.connect(language.on_sign_in, dispatch_uid="enlace-saved-language")
