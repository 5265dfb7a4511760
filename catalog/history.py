"""Who a catalog history record names: the admin user who made the change; nobody for API and file imports
(their request user is an API client or absent, not a user account)."""

from django.contrib.auth.base_user import AbstractBaseUser

__all__ = ["history_user"]


def history_user(instance=None, request=None, **kwargs):
    user = getattr(request, "user", None)
    return user if isinstance(user, AbstractBaseUser) and user.is_authenticated else None
