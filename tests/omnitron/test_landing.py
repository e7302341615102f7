"""The landing page at ``/``: what an operator or integrator opens first."""

import re

import pytest
from django.test import Client


@pytest.mark.django_db
def test_the_landing_page_links_the_docs_the_admin_and_the_health_check():
    response = Client().get("/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    assert re.findall(r'<li><a href="([^"]+)">([^<]+)</a>', html) == [
        ("/api/docs/", "API documentation (Swagger UI)"),
        ("/api/redoc/", "API reference (Redoc)"),
        ("/admin/", "Admin"),
        ("/health/", "Health check"),
    ]
    # Works with no internet: nothing is loaded from another host.
    assert re.findall(r'(?:src|href)="(https?:)?//', html) == []


@pytest.mark.django_db
def test_other_unknown_paths_still_answer_json_404():
    response = Client().get("/nothing-here/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}
