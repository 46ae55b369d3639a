"""Draft builds that a crash, a restart or a hang left unfinished: shown as failed (never
"Building" for ever), with a button to build them again."""

import socket
import subprocess
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from scrutineer.catalogue.models import Committee
from scrutineer.engine import Period
from scrutineer.reports import builds
from scrutineer.reports.builds import fail_interrupted_builds, run_build, this_process
from scrutineer.reports.models import BuildState, ReportBuild
from tests.factories import PerformanceOfficerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_council")]

Q1 = Period.parse("2020-21-Q1")


def a_dead_process():
    """The runner of a process that ran on this machine and has ended."""
    child = subprocess.Popen(["true"])
    started = builds._started(child.pid)
    child.wait()
    return f"{socket.gethostname()}:{child.pid}:{started}"


def a_build(state=BuildState.RUNNING, runner="", age=timedelta(0)):
    build = ReportBuild.objects.create(
        committee=Committee.objects.get(slug="housing-community"),
        period=Q1,
        formats=["csv", "html"],
        state=state,
        progress=50,
        message="Rendering CSV…",
        runner=runner,
    )
    ReportBuild.objects.filter(pk=build.pk).update(created_at=timezone.now() - age)
    return build


@pytest.fixture
def officer(client):
    client.force_login(PerformanceOfficerFactory())


@pytest.mark.usefixtures("officer")
@override_settings(SCRUTINEER_REPORT_BUILDS="sync")
def test_a_build_interrupted_by_a_crash_is_shown_failed_and_can_be_built_again(client):
    build = a_build(runner=a_dead_process())
    page = client.get(f"/reports/builds/{build.pk}/").content.decode()
    assert "Building" not in page and "Check progress again" not in page
    assert "<strong>Failed</strong>" in page
    assert "The build was interrupted (the process building it stopped); start it again." in page
    assert "Build again" in page
    build.refresh_from_db()
    assert build.state == BuildState.FAILED and build.finished_at is not None

    response = client.post(f"/reports/housing-community/{Q1}/build/", {"format": build.formats})
    again = ReportBuild.objects.exclude(pk=build.pk).get()
    assert response["Location"] == f"/reports/builds/{again.pk}/"
    assert (again.state, again.formats) == (BuildState.DONE, ["csv", "html"])


@pytest.mark.usefixtures("officer")
def test_interrupted_builds_are_shown_failed_in_the_reports_recent_builds(client):
    a_build(state=BuildState.QUEUED, runner=a_dead_process())
    page = client.get(f"/reports/housing-community/{Q1}/").content.decode()
    assert "— Failed," in page and "— Building," not in page


def test_the_build_worker_marks_builds_interrupted_by_a_crash_failed_when_it_starts(capsys):
    interrupted = a_build(runner=a_dead_process())
    queued = a_build(state=BuildState.QUEUED)  # waiting for the worker: it runs it
    call_command("build_reports")
    interrupted.refresh_from_db()
    queued.refresh_from_db()
    assert interrupted.state == BuildState.FAILED
    assert interrupted.message.startswith("The build was interrupted")
    assert queued.state == BuildState.DONE
    assert "Marked 1 interrupted build(s) failed" in capsys.readouterr().out


@pytest.mark.usefixtures("officer")
def test_a_build_running_longer_than_the_time_limit_is_shown_failed_when_its_page_is_read(client):
    # Its process is alive (this one), but it has been "Building" for 16 minutes.
    build = a_build(runner=this_process(), age=timedelta(minutes=16))
    page = client.get(f"/reports/builds/{build.pk}/").content.decode()
    assert "<strong>Failed</strong>" in page and "Build again" in page
    assert "The build did not finish within 15 minutes, so it was given up; start it again." in page


@override_settings(SCRUTINEER_REPORT_BUILD_TIME_LIMIT=60)
def test_the_time_limit_is_a_setting_and_covers_builds_never_started():
    old = a_build(state=BuildState.QUEUED, age=timedelta(seconds=90))
    young = a_build(state=BuildState.QUEUED, age=timedelta(seconds=30))
    assert fail_interrupted_builds() == 1
    old.refresh_from_db()
    young.refresh_from_db()
    assert old.state == BuildState.FAILED and "within 1 minute," in old.message
    assert young.state == BuildState.QUEUED


def test_builds_of_running_processes_and_finished_builds_are_left_alone():
    running_here = a_build(runner=this_process())
    elsewhere = a_build(runner="another-machine:12:34")  # cannot be checked: the time limit will
    done = a_build(state=BuildState.DONE, runner=a_dead_process())
    assert fail_interrupted_builds() == 0
    for build in (running_here, elsewhere, done):
        state = build.state
        build.refresh_from_db()
        assert build.state == state


@override_settings(SCRUTINEER_REPORT_BUILDS="thread")
def test_a_build_queued_for_a_thread_names_this_process_as_its_runner(django_capture_on_commit_callbacks):
    build = a_build(state=BuildState.QUEUED)
    with django_capture_on_commit_callbacks(execute=False):
        builds.queue_build(build)
    build.refresh_from_db()
    assert build.runner == this_process()


def test_a_build_given_up_while_it_runs_stops_and_stays_failed(monkeypatch):
    build = a_build(state=BuildState.QUEUED)

    def render_then_time_out(doc, fmt):
        ReportBuild.objects.filter(pk=build.pk).update(state=BuildState.FAILED, message="Given up.")
        return b"late"

    monkeypatch.setattr(builds, "render", render_then_time_out)
    finished = run_build(build.pk)
    assert (finished.state, finished.message) == (BuildState.FAILED, "Given up.")
    assert finished.files.count() == 1  # it stopped at the next step


def test_a_build_is_run_once_even_if_two_workers_pick_it():
    build = a_build(state=BuildState.QUEUED)
    assert run_build(build.pk).state == BuildState.DONE
    ReportBuild.objects.filter(pk=build.pk).update(message="first run")
    assert run_build(build.pk).message == "first run"
