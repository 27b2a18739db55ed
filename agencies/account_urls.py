from __future__ import annotations

from django.urls import path

from agencies import account_views as views

urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out_view, name="logout"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("security/", views.security, name="account_security"),
    path("password/", views.password_change, name="password_change"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("api-token/", views.api_token, name="api_token"),
]
