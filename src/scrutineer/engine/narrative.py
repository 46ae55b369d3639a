"""Moved: a report's drafted wording is `scrutineer.reports.narrative`.

Kept only so that `scrutineer.reports.views` still finds `draft_summary` here until its
import names the new module; then delete this file. Nothing in the engine imports it
(it reaches up into the reports, which the engine must never do).
"""

from __future__ import annotations

from scrutineer.reports.narrative import draft_summary

__all__ = ["draft_summary"]
