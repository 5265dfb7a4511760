"""Failed-login lockout on the admin (django-axes): after the configured number of failures for a user name
from one address, even the right password is refused for the cool-off time; other users are unaffected."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")


def attempt(client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})


def test_the_right_password_is_refused_after_too_many_failures(client, django_user_model, settings):
    django_user_model.objects.create_superuser("boss", "boss@example.invalid", "a-long-right-password")
    django_user_model.objects.create_superuser("other", "other@example.invalid", "another-long-password")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "boss", "wrong").status_code == 200  # the login form again, with its error
    locked = attempt(client, "boss", "wrong")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.text
    still_locked = attempt(client, "boss", "a-long-right-password")
    assert still_locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert attempt(client, "other", "another-long-password").status_code == 302  # another user logs in


def test_a_successful_login_resets_the_count(client, django_user_model, settings):
    django_user_model.objects.create_superuser("boss", "boss@example.invalid", "a-long-right-password")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "boss", "wrong")
    assert attempt(client, "boss", "a-long-right-password").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "boss", "wrong").status_code == 200
