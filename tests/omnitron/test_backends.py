"""The ModelBackend that reads a user's permissions in one query."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _perm(codename: str) -> Permission:
    return Permission.objects.get(codename=codename)


def test_a_user_has_its_own_and_its_groups_permissions_read_in_one_query():
    # Given a user with one permission of its own and one through a group
    user = UserFactory()
    user.user_permissions.add(_perm("add_order"))
    group = Group.objects.create(name="packers")
    group.permissions.add(_perm("change_orderitem"))
    user.groups.add(group)

    # When its permissions are checked
    with CaptureQueriesContext(connection) as queries:
        has_both = user.has_perms(["orders.add_order", "orders.change_orderitem"])
        has_other = user.has_perm("orders.change_order")

    # Then both count, nothing else does, and one query answered every check
    assert (has_both, has_other) == (True, False)
    assert len(queries.captured_queries) == 1
    assert user.get_all_permissions() == {"orders.add_order", "orders.change_orderitem"}


def test_an_inactive_user_has_no_permissions_and_a_superuser_has_all():
    inactive = UserFactory(is_active=False)
    inactive.user_permissions.add(_perm("add_order"))
    superuser = UserFactory(is_superuser=True)

    assert inactive.has_perm("orders.add_order") is False
    assert superuser.has_perm("orders.add_order") is True
    assert len(superuser.get_all_permissions()) == Permission.objects.count()


def test_a_user_without_permissions_has_none():
    assert UserFactory().get_all_permissions() == set()
