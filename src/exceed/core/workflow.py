"""The one workflow mechanism (issue 6, item 4): allowed moves held as data, a conditional update,
and a recorded change (who, when, note) — django-oscar's pipeline idea, for every app.

Recovery cases use it today; mystery-shop assignments, commitments and ideas will. A workflow
only moves and records: side effects of a move (a new round of steps, an email) belong to the
service that asked for it.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from exceed.errors import DomainError


@dataclass(frozen=True)
class Workflow:
    """``moves`` maps each status to the statuses it may move to; ``history`` is the model that
    records a move, with fields ``<subject>``, from_status, to_status, by, at and note."""

    model: type[models.Model]
    moves: Mapping[str, tuple[str, ...]]
    history: type[models.Model]
    subject: str
    label: Callable[[str], str] = str
    field: str = "status"

    def allows(self, current: str, target: str) -> bool:
        return target in self.moves.get(current, ())

    def check(self, current: str, target: str) -> None:
        if not self.allows(current, target):
            raise DomainError(
                _("This cannot move from %(from)s to %(to)s.")
                % {"from": self.label(current), "to": self.label(target)},
                field=self.field,
                status=409,
            )

    def move(self, obj: models.Model, target: str, *, by=None, note: str = "", at: datetime | None = None):
        """Move ``obj`` to ``target`` if allowed, recording who and when; the caller's transaction.

        The update is conditional on the status the caller read, so a concurrent move of the same
        object fails loudly (409) instead of silently overwriting it.
        """
        current = getattr(obj, self.field)
        self.check(current, target)
        at = at or timezone.now()
        moved = self.model._default_manager.filter(pk=obj.pk, **{self.field: current}).update(**{self.field: target})
        if not moved:
            raise DomainError(_("Someone else changed this just now; please reload."), field=self.field, status=409)
        self.history._default_manager.create(
            **{self.subject: obj}, from_status=current, to_status=target, by=by, at=at, note=note
        )
        setattr(obj, self.field, target)
        return obj
