"""The authentication backend: Django's ModelBackend with a user's permissions read in one query."""

import functools

from django.contrib.auth import backends, get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection


@functools.cache
def _permissions_sql() -> str:
    """``(app_label, codename)`` of a user's own and group permissions; parameters: user id twice."""
    user_model = get_user_model()
    own = user_model.user_permissions.through._meta
    memberships = user_model.groups.through._meta
    grants = Group.permissions.through._meta

    def column(meta, name: str) -> str:
        return f'"{meta.get_field(name).column}"'

    user_fk = column(own, str(user_model._meta.model_name))  # the through tables name it after the model
    return (
        f'SELECT ct."app_label", p."codename" FROM "{Permission._meta.db_table}" p '  # noqa: S608  # table and column names only
        f'JOIN "{ContentType._meta.db_table}" ct ON ct."id" = p."content_type_id" WHERE p."id" IN ('
        f'SELECT {column(own, "permission")} FROM "{own.db_table}" WHERE {user_fk} = %s '
        f'UNION SELECT g.{column(grants, "permission")} FROM "{grants.db_table}" g '
        f'JOIN "{memberships.db_table}" m ON m.{column(memberships, "group")} = g.{column(grants, "group")} '
        f"WHERE m.{user_fk} = %s)"
    )


class ModelBackend(backends.ModelBackend):
    """Django's ModelBackend, except that a user's own and group permissions come from one plain
    statement (Django compiles and runs two ORM queries). Every write checks a permission."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                rows = Permission.objects.values_list("content_type__app_label", "codename").order_by()
            else:
                with connection.cursor() as cursor:
                    cursor.execute(_permissions_sql(), [user_obj.pk, user_obj.pk])
                    rows = cursor.fetchall()
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return user_obj._perm_cache
