"""The demo leaves the seed council's Q2 2020/21 collection round in progress, so
`scrutineer remind` prints reminder emails through the console backend, one `Subject:`
line each, and a second run at once prints none."""

import pytest
from django.core.management import call_command

from scrutineer.collection.models import CollectionRound, Value, ValueState
from scrutineer.collection.rounds import open_for_entry
from scrutineer.demo.cycle import start_demo_round
from scrutineer.demo.users import ensure_demo_accounts
from scrutineer.engine import Frequency, Period

pytestmark = pytest.mark.django_db

Q2 = Period.parse("2020-21-Q2")


@pytest.fixture
def demo(seed_council, settings, tmp_path, monkeypatch):
    monkeypatch.delenv("SCRUTINEER_DEMO_PASSWORD", raising=False)
    settings.VAR_DIR = tmp_path
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    ensure_demo_accounts()
    return start_demo_round()


def test_the_demo_opens_the_q2_round_once_with_figures_in_progress(demo):
    assert demo.period == Q2 and demo.is_open
    assert open_for_entry(Frequency.QUARTERLY, demo.opens_on) == [Q2]
    states = dict(Value.objects.filter(period=Q2).values_list("indicator__code", "state"))
    assert states == {"CSU10": ValueState.DRAFT, "CSU12": ValueState.SUBMITTED}
    assert start_demo_round() is None and CollectionRound.objects.count() == 1


def test_remind_on_the_demo_prints_each_email_once(demo, capsys):
    call_command("remind")
    first = capsys.readouterr().out
    subjects = [line for line in first.splitlines() if line.startswith("Subject:")]
    assert len(subjects) == 6, first  # overdue: two owners and their approver; approvals; two officers
    assert "Subject: Overdue: 3 figures for Q2 2020/21 (due on 14 October 2020)" in subjects
    assert "To: tracy.lancashire@dacorum.example" in first
    call_command("remind")
    second = capsys.readouterr().out
    assert "Subject:" not in second and "Nothing to send." in second
