"""The core's URLs outside the language prefix: they are named by outside parties (load
balancers, browsers, RFC 9116's /.well-known/) or serve both languages alike, and have a
single address."""

from django.urls import path

from . import i18n, views

app_name = "fixed"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
    path("langue/<str:code>/", i18n.switch_language, name="switch_language"),
]
