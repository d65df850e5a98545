"""Errors of accounts (the schools, teams, employers and programs demand comes from)."""

from __future__ import annotations

from mhg.errors import Conflict, NotFound, RuleViolation


class AccountNotFound(NotFound):
    code = "account-not-found"
    title = "No such account"


class InvalidAccount(RuleViolation):
    code = "invalid-account"
    title = "The account breaks a rule of accounts"


class UnknownAccount(RuleViolation):
    """A booking, event, form or claim names an account that is not on record."""

    code = "unknown-account"
    title = "The account named is not on record"


class AccountInactive(Conflict):
    code = "account-inactive"
    title = "The account is inactive: it takes no new demand"
