"""GET /health/ reflects whether the database answers."""

from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_health_is_200_with_database_ok(anon_client):
    response = anon_client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_is_503_when_the_database_is_unreachable(anon_client):
    with mock.patch("omnitron.views.connection.cursor", side_effect=OperationalError("server closed the connection")):
        response = anon_client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable", "detail": "OperationalError"}
    assert anon_client.get("/health/").status_code == 200
