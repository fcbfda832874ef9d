"""Review tracking: when each job description was last reviewed and which are overdue."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from ametijuhend_cli.errors import Problem, Severity, msg, nmsg
from ametijuhend_cli.organization.collation import estonian_key
from ametijuhend_cli.sources.project import LoadedPosition, Project


def add_months(day: dt.date, months: int) -> dt.date:
    """Return the same day ``months`` later, or the month's last day (31 Jan + 1 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    if year > dt.MAXYEAR:  # a date far in the future (9999-12-31): due at the end of time
        return dt.date.max
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


@dataclass(frozen=True)
class ReviewStatus:
    """The review state of one position."""

    id: str
    last: dt.date | None
    #: which field ``last`` comes from: 'reviewed', 'approval' or '' (never reviewed)
    basis: str
    due: dt.date | None

    def overdue(self, today: dt.date) -> bool:
        """Return whether the review is overdue on ``today`` (never reviewed counts)."""
        return self.due is None or today > self.due


def review_status(position: LoadedPosition, months: int) -> ReviewStatus:
    """Return when the position was last reviewed and when the next review is due.

    An approval by directive is a review too: the later of ``reviewed`` and
    ``approval.date`` counts.
    """
    model = position.model
    dates = []
    if model.reviewed is not None:
        dates.append((model.reviewed, "reviewed"))
    if model.approval is not None:
        dates.append((model.approval.date, "approval"))
    if not dates:
        return ReviewStatus(position.id, None, "", None)
    last, basis = max(dates)
    return ReviewStatus(position.id, last, basis, add_months(last, months))


def oldest_first(project: Project, statuses: list[ReviewStatus]) -> list[ReviewStatus]:
    """Return ``statuses`` oldest review first (never reviewed first), then by title."""

    def key(status: ReviewStatus) -> tuple[dt.date, object, str]:
        title = project.positions[status.id].model.title
        return (status.last or dt.date.min, estonian_key(title), status.id)

    return sorted(statuses, key=key)


def overdue(project: Project, today: dt.date, months: int) -> list[ReviewStatus]:
    """Return the positions whose review is overdue on ``today``, oldest first."""
    statuses = [review_status(p, months) for p in project.positions.values()]
    return oldest_first(project, [s for s in statuses if s.overdue(today)])


def review_problems(position: LoadedPosition, today: dt.date, months: int) -> list[Problem]:
    """Return the warnings about one position's review on ``today``: overdue, or dated later.

    They need nothing but the position, so they are found where it is loaded.
    """
    status = review_status(position, months)
    smap = position.source.smap
    loc = ("reviewed",) if status.basis == "reviewed" else ("approval", "date")
    hint = msg("after the review, record its date: 'reviewed: YYYY-MM-DD'")
    every = nmsg("reviews are due every {n} month", "reviews are due every {n} months", months)
    if status.last is None:
        return [
            smap.problem(
                (),
                msg("never reviewed; {every}", every=every),
                hint=hint,
                severity=Severity.WARNING,
            )
        ]
    problems = []
    if status.overdue(today):
        problems.append(
            smap.problem(
                loc,
                msg(
                    "the review was due {due} (last reviewed {last}); {every}",
                    due=str(status.due),
                    last=str(status.last),
                    every=every,
                ),
                hint=hint,
                severity=Severity.WARNING,
            )
        )
    if status.last > today:
        problems.append(
            smap.problem(
                loc,
                msg(
                    "the date {last} is after today ({today})",
                    last=str(status.last),
                    today=str(today),
                ),
                hint=msg(
                    "a review or an approval is recorded once it has happened; check the year"
                ),
                severity=Severity.WARNING,
            )
        )
    return problems
