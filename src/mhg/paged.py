"""A list route that works out its own query: the list routes `listed` cannot declare.

`listed` declares a list whose query parameters are its filters one for one. Where a
parameter means something else (days from today, a day that defaults to today), is
checked against another, or the rows are remade on the way out, the route says so in
its body and is handed the page reader, `pages`:

    @paged(router, "/credentials/expiring", "listExpiringCredentials", PcReader)
    def list_expiring(pages: Pages, within: Days = 90) -> Page[CredentialRow]:
        '''Credentials expiring within a window'''
        today = commands.today()
        page = pages(CREDENTIALS, expiring_by=today + timedelta(days=within))
        return remade(page, lambda stored: CredentialRow.of(stored, today))

Before the function's own parameters the route takes the reader's role, a cursor and a
limit, as a `listed` route does; the docstring is the summary and the return annotation
the answer.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, get_type_hints

from fastapi import APIRouter

from mhg import problems
from mhg.auth import Principal
from mhg.declared import declared_route, endpoint
from mhg.listing import HasReadStore, Listing, Selection
from mhg.pagination import CursorParam, LimitParam, Page, read_page
from mhg.routes import Runtime

F = TypeVar("F", bound=Callable[..., Any])
R = TypeVar("R")


@dataclass(frozen=True)
class Pages:
    """One page of a listing, after the route's cursor and at its limit, read for `caller`
    (whose scope may narrow it: a vendor's own bookings)."""

    rt: HasReadStore
    cursor: str | None
    limit: int
    caller: Principal

    def __call__(self, listing: Listing[Any], **values: Any) -> Page[Any]:
        return listing.page(self.rt, self.cursor, self.limit, **values)

    def stored(
        self, selection: Selection, make: Callable[[dict[str, Any]], R], **values: Any
    ) -> Page[R]:
        """The page of the selection's stored rows, each made into the answer's row by `make`:
        for a route that works something out on each row (how late a specimen is, as of now)."""
        table = self.rt.store.metadata.tables[selection.table]
        rows, next_cursor = read_page(
            self.rt.store.reader,
            table,
            cursor=self.cursor,
            limit=self.limit,
            filters=selection.where(table, values),
        )
        return Page[Any](items=[make(row) for row in rows], next_cursor=next_cursor)


def remade(page: Page[Any], row: Callable[[Any], R]) -> Page[R]:
    """The page with each row remade on the way out (a stored credential as of today)."""
    return Page[Any](items=[row(item) for item in page.items], next_cursor=page.next_cursor)


def paged(
    router: APIRouter,
    path: str,
    operation_id: str,
    reader: object,
    *,
    description: str | None = None,
) -> Callable[[F], F]:
    """Declare the decorated function, whose first parameter is `pages`, as a list route."""

    def declare(work: F) -> F:
        hints = get_type_hints(work, include_extras=True)
        kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
        own = list(inspect.signature(work).parameters.items())[1:]  # after `pages`
        parameters = [
            inspect.Parameter("rt", kind, annotation=Runtime),
            inspect.Parameter("_caller", kind, annotation=reader),
            inspect.Parameter("cursor", kind, annotation=CursorParam, default=None),
            inspect.Parameter("limit", kind, annotation=LimitParam, default=50),
            *(param.replace(annotation=hints[name]) for name, param in own),
        ]

        def run(
            rt: Runtime, _caller: Principal, cursor: str | None, limit: int, **values: Any
        ) -> Any:
            return work(Pages(rt, cursor, limit, _caller), **values)

        declared_route(
            router,
            path,
            operation_id,
            hints["return"],
            inspect.getdoc(work),
            methods=["GET"],
            description=description,
            responses=problems.responses(401, 403, 422),
        )(endpoint(work.__name__, parameters, run))
        return work

    return declare
