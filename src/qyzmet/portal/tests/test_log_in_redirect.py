"""An anonymous visitor of an applicant's page goes to the portal's log-in page (not the
admin's, not the staff desk's) with the whole page, query included, in ?next=, and comes
back to it after logging in; Django's own log-in redirect lands on the portal too."""

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

from qyzmet.testing import ABENOVA_IIN, PORTAL_PASSWORD

pytestmark = pytest.mark.django_db

PAGE = "/applications/?status=issued&page=2"


def test_anonymous_goes_to_the_portal_log_in_and_back_to_the_whole_page(individual):
    client = Client()
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response.url == "/log-in/?next=/applications/%3Fstatus%3Dissued%26page%3D2"
    form = client.get(response.url).content.decode()
    # Both log-in forms (password and EDS) carry it, HTML-escaped in the attribute.
    assert form.count('name="next" value="/applications/?status=issued&amp;page=2"') == 2
    back = client.post(
        "/log-in/", {"login": ABENOVA_IIN, "password": PORTAL_PASSWORD, "next": PAGE}
    )
    assert back.status_code == 302 and back.url == PAGE


def test_djangos_log_in_page_is_the_portals_not_the_admins():
    assert resolve_url(settings.LOGIN_URL) == reverse("portal:login") == "/log-in/"
