"""The README's "Try it" commands, each in order on a fresh demo, as a newcomer runs them."""

import re
import shlex
from pathlib import Path

import pytest
from django.core.management import call_command

from scrutineer.cli import main

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"


def try_it_commands():
    text = README.read_text()
    block = re.search(r"## Try it\n.*?```sh\n(.*?)```", text, re.S).group(1)
    return [shlex.split(line, comments=True) for line in block.splitlines() if line.strip()]


def test_every_try_it_command_works_on_a_fresh_demo(settings, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # out/ and var/ in the README are relative to where it is run
    monkeypatch.delenv("SCRUTINEER_DEMO_PASSWORD", raising=False)
    # A command run from the command line closes every database connection as it ends
    # (BaseCommand.run_from_argv), as its process would; here the commands share one test
    # transaction, so the connection stays open (SQLite's in-memory test database ignores
    # the close, PostgreSQL's would end the test's transaction).
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)
    settings.OUT_DIR, settings.VAR_DIR = tmp_path / "out", tmp_path / "var"
    call_command("demo", "--no-serve")
    commands = try_it_commands()
    assert [c[0] for c in commands] == [".venv/bin/scrutineer"] * len(commands)
    ran = []
    for command in commands:
        argv = ["scrutineer", *command[1:]]
        if argv[1] == "generate":  # the README's 2,000 indicators over 10 years: smaller here, same options
            smaller = {"--indicators": "12", "--years": "1"}
            argv = [smaller.get(before, a) for before, a in zip(["", *argv], argv, strict=False)]
        capsys.readouterr()
        try:
            main(argv)
        except SystemExit as stopped:  # how a command's error ends: "CommandError: …", exit 1
            pytest.fail(f"{' '.join(command)} stopped (exit {stopped.code}): {capsys.readouterr().err}")
        ran.append((argv[1], capsys.readouterr().out))
    said = dict(ran)
    assert "Nothing has changed since version 1" in said["publish"]
    assert "Generated 12 indicators" in said["generate"]
    # out/ keeps the published Q1 files the demo wrote; the draft went to its own folder
    assert "Draft – not published" not in (tmp_path / "out/housing-community-2020-21-Q1.html").read_text()
    assert "Draft – not published" in (tmp_path / "out/draft/housing-community-2020-21-Q1.html").read_text()
    assert (tmp_path / "var/synthetic.sqlite3").exists()
