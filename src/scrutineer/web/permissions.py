"""Who may do what, decided on the server for every view.

Until the full role model lands, a performance officer is a staff user or a member of
the "Performance officers" group; everyone, signed in or not, may read what was published.
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

PERFORMANCE_OFFICERS = "Performance officers"


def is_performance_officer(user: Any) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_staff or user.groups.filter(name=PERFORMANCE_OFFICERS).exists())


def performance_officer_required(view: Any) -> Any:
    """Anonymous: to sign in. Signed in without the role: 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_performance_officer(request.user):
            raise PermissionDenied("Only performance officers can do this.")
        return view(request, *args, **kwargs)  # type: ignore[no-any-return]

    return wrapped
