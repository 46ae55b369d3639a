"""Targets, tolerances and rate scales meet the limits figures do (decision 0011), in the
forms and in the actions; a rate scale of 0 gets a message, not a constraint's name."""

from decimal import Decimal

import pytest

from scrutineer.catalogue import actions
from scrutineer.catalogue.models import Indicator, Target
from scrutineer.changes import Rejected
from scrutineer.engine import Period
from tests.catalogue.test_manage import indicator_post
from tests.factories import PerformanceOfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(seed_council):
    return PerformanceOfficerFactory()


@pytest.fixture
def signed_in(client, officer):
    client.force_login(officer)
    return client


TOO_LONG = [
    ("99999999999999.995", "99999999999999.995 has 17 significant digits; Scrutineer keeps 15"),
    ("12345678901234.123456", "12345678901234.123456 has 20 significant digits"),
    ("123456789012345", "is too large; Scrutineer keeps figures below 100,000,000,000,000"),
    ("1.0000001", "has more than 6 decimal places (7)"),
]
NOT_NUMBERS = ["٣", "３", "12_000", "NaN", "Infinity", "1e5", "1,23", "0x1F"]


# Targets


@pytest.mark.parametrize(("typed", "words"), TOO_LONG)
def test_a_target_longer_than_sqlite_keeps_is_refused_on_the_page(signed_in, typed, words):
    response = signed_in.post("/manage/indicators/CSU10/targets/", {"period": "2030-31", "value": typed})
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not Target.objects.filter(indicator__code="CSU10", period=Period.parse("2030-31")).exists()


@pytest.mark.parametrize(("typed", "words"), TOO_LONG)
def test_a_target_longer_than_sqlite_keeps_is_refused_by_the_action(officer, typed, words):
    with pytest.raises(Rejected) as refused:
        actions.save_target(
            Indicator.objects.get(code="CSU10"), Period.parse("2030-31"), Decimal(typed), user=officer
        )
    assert refused.value.field == "value"
    assert refused.value.message.startswith("The target ") and words in refused.value.message
    assert not Target.objects.filter(period=Period.parse("2030-31")).exists()


@pytest.mark.parametrize("typed", NOT_NUMBERS)
def test_a_target_in_anything_but_ascii_digits_is_refused(signed_in, officer, typed):
    response = signed_in.post("/manage/indicators/CSU10/targets/", {"period": "2030-31", "value": typed})
    assert response.status_code == 400
    assert "Enter a number in digits, e.g. 640, 19,498 or 79.33" in response.content.decode()
    with pytest.raises(Rejected, match="is not a number"):
        actions.save_target(Indicator.objects.get(code="CSU10"), Period.parse("2030-31"), typed, user=officer)
    assert not Target.objects.filter(period=Period.parse("2030-31")).exists()


def test_a_target_at_the_limit_is_kept_exactly(signed_in):
    response = signed_in.post(
        "/manage/indicators/CSU10/targets/", {"period": "2030-31", "value": "12,345,678.123456"}
    )
    assert response.status_code == 302
    assert Target.objects.get(indicator__code="CSU10", period=Period.parse("2030-31")).value == Decimal(
        "12345678.123456"
    )


# Tolerances and rate scales


@pytest.mark.parametrize(("typed", "words"), TOO_LONG)
def test_a_tolerance_longer_than_sqlite_keeps_is_refused_on_the_page(signed_in, typed, words):
    csu10 = Indicator.objects.get(code="CSU10")
    response = signed_in.post(
        "/manage/indicators/CSU10/",
        indicator_post(csu10, reason="Wider band", tolerance_kind="absolute", tolerance_amount=typed),
    )
    assert response.status_code == 400
    assert words in response.content.decode()
    assert Indicator.objects.get(code="CSU10").version == csu10.version


@pytest.mark.parametrize(("typed", "words"), TOO_LONG)
def test_a_tolerance_longer_than_sqlite_keeps_is_refused_by_the_action(officer, typed, words):
    csu10 = Indicator.objects.get(code="CSU10")
    with pytest.raises(Rejected) as refused:
        actions.save_indicator(
            csu10,
            {"tolerance_kind": "absolute", "tolerance_amount": Decimal(typed)},
            user=officer,
            reason="Wider band",
            expected_version=csu10.version,
        )
    assert refused.value.field == "tolerance_amount"
    assert refused.value.message.startswith("The amber band ") and words in refused.value.message
    assert Indicator.objects.get(code="CSU10").version == csu10.version


@pytest.mark.parametrize("typed", NOT_NUMBERS)
def test_a_tolerance_or_rate_scale_in_anything_but_ascii_digits_is_refused(signed_in, typed):
    csu11 = Indicator.objects.get(code="CSU11")
    for changes in ({"tolerance_kind": "absolute", "tolerance_amount": typed}, {"rate_scale": typed}):
        response = signed_in.post("/manage/indicators/CSU11/", indicator_post(csu11, reason="Try", **changes))
        assert response.status_code == 400
        assert "Enter a number in digits" in response.content.decode()
    assert Indicator.objects.get(code="CSU11").version == csu11.version


@pytest.mark.parametrize("scale", ["0", "-100"])
def test_a_rate_scale_of_0_gets_a_message_not_a_constraint_name(signed_in, officer, scale):
    code = "CSU10"  # no figures of its own in the open periods, but some: the scale is fixed then
    indicator = Indicator.objects.create(
        code="NEW1",
        name="A new rate",
        measure_kind="rate",
        polarity="lower-is-better",
        aggregation="ratio",
        service=Indicator.objects.get(code=code).service,
        theme=Indicator.objects.get(code=code).theme,
    )
    response = signed_in.post(
        "/manage/indicators/NEW1/", indicator_post(indicator, reason="Per thousand", rate_scale=scale)
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "The rate scale must be more than 0" in page
    assert "indicator_rate_scale_positive" not in page
    with pytest.raises(Rejected) as refused:
        actions.save_indicator(
            indicator,
            {"rate_scale": Decimal(scale)},
            user=officer,
            reason="Per thousand",
            expected_version=indicator.version,
        )
    assert refused.value.errors == {"rate_scale": [actions.RATE_SCALE_MESSAGE]}
    created = signed_in.post(
        "/manage/indicators/new/",
        {**indicator_post(indicator, rate_scale=scale), "code": "NEW2", "version": ""},
    )
    assert created.status_code == 400 and "The rate scale must be more than 0" in created.content.decode()
    assert "indicator_rate_scale_positive" not in created.content.decode()


def test_whole_numbers_on_the_catalogue_forms_are_ascii_digits(signed_in):
    csu10 = Indicator.objects.get(code="CSU10")
    for typed in ("٣", "３", "1_0"):
        response = signed_in.post(
            "/manage/indicators/CSU10/", indicator_post(csu10, reason="Try", decimal_places=typed)
        )
        assert response.status_code == 400
        assert "is not a whole number; enter digits" in response.content.decode()
    assert Indicator.objects.get(code="CSU10").decimal_places == csu10.decimal_places
