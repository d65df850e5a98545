"""The admin workspace: a browser UI over the two public REST APIs (ADR 0030).

`admin/web/` is the single-page app (TypeScript, types generated from `openapi/*.json`
at build time); this package is its origin: the built files, the two APIs passed
through under `/api/mso` and `/api/pc`, and, in development only, the sign-in that
issues a `mhg token` for a chosen role and name.
"""
