"""The one guard every CSV cell goes through: text a spreadsheet would run as a formula
gets a leading apostrophe (OWASP's advice); plain numbers are left as numbers."""

import csv
import io

import pytest

from scrutineer.spreadsheets import formula_safe, safe_writer


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        "+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(A1)",
        "-5 +cmd|' /C calc'!A0",
        " =1+1",  # spaces before the formula
        "\u00a0\u3000=1+1",  # no-break and ideographic spaces
        "\t=1+1",
        "\r=1+1",
        "\n=1+1",
        "\tplain text after a tab",
        "\0=1+1",
        "＝1+1",  # full-width equals
        "-",
        "--5",
        "-5e3",
        "+5",
    ],
)
def test_formula_starts_get_an_apostrophe(text):
    assert formula_safe(text) == "'" + text


@pytest.mark.parametrize(
    "text",
    ["", "-5", "3.28", "-3.5", "-3.5%", "0", "79.33 Second(s)", "Target: 20%", "a|b", "'=quoted already"],
)
def test_numbers_and_plain_text_are_left_alone(text):
    assert formula_safe(text) == text


def test_the_safe_writer_guards_every_cell_the_header_too():
    out = io.StringIO(newline="")
    writer = safe_writer(out)
    writer.writerow(["=header", "code"])
    writer.writerows([["=1+1", -5, None, 3.28, "x,y"]])
    text = out.getvalue()
    assert text == "'=header,code\r\n'=1+1,-5,,3.28,\"x,y\"\r\n"
    assert list(csv.reader(io.StringIO(text, newline=""))) == [
        ["'=header", "code"],
        ["'=1+1", "-5", "", "3.28", "x,y"],
    ]
