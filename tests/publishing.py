"""Publishing a report in a test as the report page and `scrutineer publish` do it: a
performance officer marks it reviewed, then publishes it (`reports.publishing`)."""

from django.db import transaction

from scrutineer.reports.publishing import mark_reviewed, publish_report
from tests.factories import UserFactory


def publish(report, *, by=None, formats=("html", "csv"), note=""):
    """Review and publish `report` as `by`, and return the version. By default `by` is a new
    staff account (a performance officer without the group, which tests often create)."""
    by = by or UserFactory(is_staff=True)
    with transaction.atomic():
        reviewed = mark_reviewed(report, user=by, expected_version=report.version)
        return publish_report(
            reviewed, user=by, formats=formats, note=note, expected_version=reviewed.version
        )
