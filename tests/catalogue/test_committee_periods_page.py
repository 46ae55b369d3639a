"""Setting the periods a committee's indicators are reported in, on /manage/: saved with
who and when, refused field by field, and cleared back to every period."""

import pytest
from django.core.exceptions import PermissionDenied

from scrutineer.catalogue.actions import read_reported_period, save_reported_periods
from scrutineer.catalogue.models import Committee, CommitteeIndicatorPeriods
from scrutineer.changes import Rejected
from scrutineer.engine import Period, PeriodKeyError
from tests.factories import PerformanceOfficerFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/manage/committees/housing-community/periods/"


@pytest.fixture
def officer(seed_council, client):
    user = PerformanceOfficerFactory()
    client.force_login(user)
    return user


def test_a_period_is_typed_as_a_key_or_as_a_quarter_is_printed():
    assert read_reported_period("2023-24-Q2") == Period.parse("2023-24-Q2")
    assert read_reported_period(" q2 2023/24 ") == Period.parse("2023-24-Q2")
    assert read_reported_period("2023-06") == Period.parse("2023-06")
    assert read_reported_period("") is None
    with pytest.raises(PeriodKeyError):
        read_reported_period("Q5 2023/24")


def test_an_officer_sets_and_clears_the_periods_an_indicator_is_reported_in(officer, client):
    page = client.get(URL).content.decode()
    assert 'for="from-CSU10"' in page and 'name="until-CSU11"' in page
    form = {"from-CSU10": "Q2 2020/21", "until-CSU10": "", "from-CSU11": "", "until-CSU11": "2020-21-Q4"}
    assert client.post(URL, form).status_code == 302
    rows = {r.indicator.code: r for r in CommitteeIndicatorPeriods.objects.select_related("indicator")}
    assert (rows["CSU10"].reported_from, rows["CSU10"].reported_until) == (Period.parse("2020-21-Q2"), None)
    assert rows["CSU11"].range_text == "Until Q4 2020/21"
    record = rows["CSU10"].history.get()
    assert (
        record.history_user == officer and record.history_change_reason == "CSU10: reported from Q2 2020/21"
    )
    assert 'value="2020-21-Q2"' in client.get(URL).content.decode()
    # Both blank: every period again, and the removal is kept in the history.
    assert client.post(URL, {**form, "from-CSU10": ""}).status_code == 302
    assert list(CommitteeIndicatorPeriods.objects.values_list("indicator__code", flat=True)) == ["CSU11"]
    assert rows["CSU10"].history.model.objects.filter(history_type="-").count() == 1


def test_what_cannot_be_a_range_is_refused_beside_its_field_and_nothing_is_saved(officer, client):
    response = client.post(
        URL,
        {"from-CSU10": "next spring", "from-CSU11": "2021-22-Q1", "until-CSU11": "2020-21-Q4"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        'href="#from-CSU10"' in page
        and "CSU10 reported from: &#x27;next spring&#x27; is not a period key" in page
    )
    assert "CSU11 reported until: Q4 2020/21 is before Q1 2021/22, when it is reported from." in page
    assert not CommitteeIndicatorPeriods.objects.exists()


def test_only_the_committee_s_own_indicators_and_only_officers(seed_council):
    committee = Committee.objects.get(slug="housing-community")
    with pytest.raises(Rejected, match="NOPE is not one of"):
        save_reported_periods(committee, {"NOPE": ("2020-21-Q1", "")}, user=PerformanceOfficerFactory())
    with pytest.raises(PermissionDenied, match="Only performance officers can manage committees"):
        save_reported_periods(committee, {"CSU10": ("2020-21-Q1", "")}, user=UserFactory())
    assert not CommitteeIndicatorPeriods.objects.exists()
