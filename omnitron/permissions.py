"""Permissions: reads need a login; writes need the matching Django model permission."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

WRITE_ACTIONS = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}


class ModelWritePermission(BasePermission):
    """Authenticated reads; writes need ``view.write_permissions[method]`` or the perm on
    ``view.permission_model`` (``add_<model>`` for POST, ``change_<model>`` for PATCH/PUT).

    A write on a view that declares neither is refused, so a new endpoint fails closed.
    """

    message = "You do not have permission to perform this action."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if request.method in SAFE_METHODS:
            return True
        return user.has_perms(required_permissions(view, request.method))


def required_permissions(view, method: str) -> list[str]:
    """The permission codenames a write through ``view`` with ``method`` needs."""
    declared = getattr(view, "write_permissions", None) or {}
    action = getattr(view, "action", None)
    if action and action in declared:
        return list(declared[action])
    if method in declared:
        return list(declared[method])
    model = getattr(view, "permission_model", None)
    if model is None or method not in WRITE_ACTIONS:
        return ["__no_write_permission_declared__"]
    opts = model._meta
    return [f"{opts.app_label}.{WRITE_ACTIONS[method]}_{opts.model_name}"]
