"""An answer that shows one object field by field: the one way an aggregate becomes its body.

Most answers copy an aggregate's attributes into fields of the same names; a few fields are
renamed or computed. `showing` reads every field of a model from the attribute of its name,
but for the ones it is handed; a `View` is a model shown so, field for field:

    class IncidentOut(View):
        id: UUID
        site_id: UUID
        ...

    IncidentOut.of(incident)                      # every field from the incident

    class ClaimOut(ClaimBilled):
        ...
        @classmethod
        def of(cls, claim: Claim) -> ClaimOut:    # all but the one it renames
            return showing(cls, claim, refunded_amount=claim.refunded)

A `View` declares no field and no config of its own: the models' JSON schemas are theirs.
A route declared with an answer (`mhg.steps`, `mhg.resource`) answers the model `answered`
names: a function's return annotation, the class itself for a `View`'s `of`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, Self, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


def showing(model: type[M], shown: object, /, **given: Any) -> M:
    """The `model` that shows `shown`: the fields `given` as handed, the others read from
    the attributes of their names."""
    read = {name: getattr(shown, name) for name in model.model_fields if name not in given}
    return model(**read, **given)


class View(BaseModel):
    """A body that shows an object: each field is the object's attribute of that name."""

    @classmethod
    def of(cls, shown: object, /) -> Self:
        """The answer that shows `shown`, every field read from it."""
        return showing(cls, shown)


def answered(answer: Callable[..., Any]) -> Any:
    """The model `answer` returns: its return annotation, or the class whose `of` it is
    where that says `Self` (a `View`'s)."""
    model = inspect.signature(answer, eval_str=True).return_annotation
    return getattr(answer, "__self__", model) if model is Self else model
