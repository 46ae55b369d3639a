"""`scrutineer status`: one figure judged by a rule file, for checking a rule before adopting it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.status_rules import FIVE_LEVELS

ROOT = Path(__file__).resolve().parents[2]
ISSUE_RULE = {
    "name": "Within 5% is green",
    "green": {"within": "5%"},
    "amber": {"within": "10%"},
    "otherwise": "red",
    "labels": {"green": "On target", "amber": "Close to target", "red": "Off target"},
    "similar": {"within": "0.5"},
    "trend_labels": {"better": "Improving", "similar": "Similar", "worse": "Worsening"},
}
SPLIT = {
    "name": "Improvement split",
    "green": {"within": "10%"},
    "otherwise": {"amber_if_not_worse_than": "last-year"},
}


@pytest.fixture
def rule_file(tmp_path: Path):
    def write(rule: object) -> str:
        path = tmp_path / "rule.json"
        path.write_text(rule if isinstance(rule, str) else json.dumps(rule), encoding="utf-8")
        return str(path)

    return write


def status_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    call_command("status", *args, "--format", "json")
    return json.loads(capsys.readouterr().out)


def test_the_example_from_the_issue(rule_file, capsys) -> None:
    out = status_json(
        capsys,
        "--rule", rule_file(ISSUE_RULE),
        "--polarity", "higher-is-better",
        "--value", "91.2", "--target", "95", "--previous", "90.1", "--last-year", "88",
    )  # fmt: skip
    assert {key: out[key] for key in ("status", "label", "trend_previous", "trend_last_year")} == {
        "status": "green",
        "label": "On target",
        "trend_previous": "better",
        "trend_last_year": "better",
    }
    assert out["trend_previous_label"] == "Improving"
    assert out["clause"] == "green"
    assert out["reason"] == "the target was met or missed by no more than 5% of it."
    assert out["key"][2] == "Off target: the target was missed by more than 10% of it."  # type: ignore[index]


@pytest.mark.parametrize(
    ("args", "status", "label"),
    [
        (["--value", "85.5", "--target", "95"], "amber", "Close to target"),  # exactly 10% short
        (["--value", "85.49", "--target", "95"], "red", "Off target"),
        (["--target", "95"], "no-data", "No Data"),
        (["--value", "85"], "info-only", "Info Only"),
        (["--value", "85", "--target", "95", "--not-measured"], "not-measured", "Not measured"),
    ],
)
def test_every_status(rule_file, capsys, args: list[str], status: str, label: str) -> None:
    out = status_json(capsys, "--rule", rule_file(ISSUE_RULE), "--polarity", "higher-is-better", *args)
    assert (out["status"], out["label"]) == (status, label)


@pytest.mark.parametrize(
    ("polarity", "value", "status", "label", "symbol"),
    [
        # Target 200: 5% is 10, 10% is 20, 20% is 40.
        ("higher-is-better", "200", "green", "On target", "✓"),
        ("higher-is-better", "190", "amber-green", "Nearly on target", "≈"),
        ("higher-is-better", "189.99", "amber", "Close to target", "!"),
        ("higher-is-better", "160", "amber-red", "Off target", "‼"),
        ("higher-is-better", "159.99", "red", "Well off target", "✗"),
        ("lower-is-better", "210", "amber-green", "Nearly on target", "≈"),
        ("lower-is-better", "240.01", "red", "Well off target", "✗"),
        ("closest-to-target", "179.99", "amber-red", "Off target", "‼"),
        ("closest-to-target", "220", "amber", "Close to target", "!"),
    ],
)
def test_five_levels(
    rule_file, capsys, polarity: str, value: str, status: str, label: str, symbol: str
) -> None:
    out = status_json(
        capsys, "--rule", rule_file(FIVE_LEVELS), "--polarity", polarity, "--value", value, "--target", "200"
    )
    assert (out["status"], out["label"], out["symbol"]) == (status, label, symbol)
    assert out["key"][:5] == [  # type: ignore[index]
        "On target: the target was met.",
        "Nearly on target: the target was missed, but by no more than 5% of it.",
        "Close to target: the target was missed by more than 5% of it, but by no more than 10% of it.",
        "Off target: the target was missed by more than 10% of it, but by no more than 20% of it.",
        "Well off target: the target was missed by more than 20% of it.",
    ]


def test_five_levels_as_text(rule_file, capsys) -> None:
    call_command(
        "status", "--rule", rule_file(FIVE_LEVELS), "--polarity", "higher-is-better",
        "--value", "185", "--target", "200",
    )  # fmt: skip
    out = capsys.readouterr().out
    assert out.startswith("! Close to target (amber): 185 against a target of 200\n")
    assert (
        "  decided by amber: the target was missed by more than 5% of it, but by no more than 10% of it."
        in out
    )


def test_a_similar_fall(rule_file, capsys) -> None:
    out = status_json(
        capsys,
        "--rule", rule_file(ISSUE_RULE), "--polarity", "higher-is-better",
        "--value", "90", "--target", "95", "--previous", "90.5", "--last-year", "90.6",
    )  # fmt: skip
    assert (out["trend_previous"], out["trend_previous_label"]) == ("similar", "Similar")
    assert (out["trend_last_year"], out["trend_last_year_label"]) == ("worse", "Worsening")


def test_without_a_rule_the_default_rule_and_the_sites_tolerance(capsys) -> None:
    out = status_json(capsys, "--polarity", "lower-is-better", "--value", "325", "--target", "300")
    assert (out["rule"], out["status"], out["label"]) == ("Amber within the tolerance", "amber", "Amber")
    assert out["reason"] == "the target was missed, but by no more than the tolerance allowed."
    out = status_json(
        capsys, "--polarity", "lower-is-better", "--value", "325", "--target", "300", "--tolerance", "20"
    )
    assert out["status"] == "red"


def test_the_improvement_split_and_the_forecast(rule_file, capsys) -> None:
    path = rule_file(SPLIT)
    args = ["--rule", path, "--polarity", "lower-is-better", "--target", "20"]
    assert status_json(capsys, *args, "--value", "22")["status"] == "green"  # no last year needed
    assert status_json(capsys, *args, "--value", "25", "--last-year", "25")["status"] == "amber"
    assert status_json(capsys, *args, "--value", "25", "--last-year", "24.9")["status"] == "red"
    forecast = rule_file({"name": "Forecast", "forecast": {"from": "owner"}})
    args = ["--rule", forecast, "--polarity", "higher-is-better", "--value", "90", "--target", "100"]
    out = status_json(capsys, *args, "--forecast", "1210", "--year-end-target", "1200")
    assert (out["status"], out["forecast_meets_target"]) == ("amber", True)


def test_figures_are_judged_as_typed_unless_places_are_given(capsys) -> None:
    args = ["--polarity", "higher-is-better", "--target", "20", "--tolerance", "0"]
    assert status_json(capsys, *args, "--value", "19.996")["status"] == "red"
    assert status_json(capsys, *args, "--value", "19.996", "--decimal-places", "2")["status"] == "green"


def test_text_output(rule_file, capsys) -> None:
    call_command(
        "status", "--rule", rule_file(ISSUE_RULE), "--polarity", "higher-is-better",
        "--value", "91.2", "--target", "95", "--previous", "90.1", "--unit", "%",
    )  # fmt: skip
    out = capsys.readouterr().out
    assert out.startswith("✓ On target (green): 91.2 against a target of 95\n")
    assert "Against the previous period (90.1): Improving (better)" in out
    assert (
        "  Close to target: the target was missed by more than 5% of it, but by no more than 10% of it."
        in out
    )


@pytest.mark.parametrize(
    ("rule", "args", "message"),
    [
        ({**ISSUE_RULE, "colour": "red"}, [], "the rule: unknown key 'colour'"),
        (
            {"name": "x", "green": {"within": "10%"}, "amber": {"within": "5%"}},
            [],
            "amber can never match: green (within 10%) already makes every figure within 5% of the target green",
        ),
        ('{"name": "x",', [], "the rule is not valid JSON"),
        (
            {**FIVE_LEVELS, "amber-red": {"within": "10%"}},
            [],
            "amber-red can never match: amber (within 10%) already makes every figure within 10% of the "
            "target amber",
        ),
        ({**FIVE_LEVELS, "otherwise": "green"}, [], "otherwise: write the status of every figure beyond"),
        (
            SPLIT,
            ["--value", "80"],
            "The clause 'otherwise' decides this figure only with the figure for the same period last "
            "year, which was not given; give it with --last-year.",
        ),
        (ISSUE_RULE, ["--value", "ninety"], "--value: 'ninety' is not a figure"),
        (ISSUE_RULE, ["--value", "NaN"], "--value: 'NaN' is not a figure"),
        (ISSUE_RULE, ["--value", "1", "--tolerance", "lots"], "--tolerance: 'lots' is not a tolerance"),
    ],
)
def test_bad_input_is_one_clear_sentence(rule_file, rule: object, args: list[str], message: str) -> None:
    with pytest.raises(CommandError) as raised:
        call_command(
            "status", "--rule", rule_file(rule), "--polarity", "higher-is-better", "--target", "95", *args
        )
    assert message in str(raised.value)
    assert str(raised.value).endswith(".")
    assert "\n" not in str(raised.value)


def test_a_missing_rule_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"Cannot read the rule file .*nothing.json: No such file"):
        call_command("status", "--rule", str(tmp_path / "nothing.json"), "--polarity", "higher-is-better")


def test_from_the_command_line_bad_input_exits_non_zero_without_a_traceback(rule_file) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "scrutineer.cli", "status", "--rule", rule_file(SPLIT),
         "--polarity", "higher-is-better", "--value", "80", "--target", "95"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}", "DJANGO_SETTINGS_MODULE": "tests.settings"},
    )  # fmt: skip
    assert completed.returncode == 1
    assert completed.stdout == ""
    assert "Traceback" not in completed.stderr
    assert completed.stderr.strip().splitlines() == [
        "CommandError: The clause 'otherwise' decides this figure only with the figure for the same "
        "period last year, which was not given; give it with --last-year."
    ]
