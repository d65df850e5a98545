"""`python -m admin`: serve the built workspace and pass both APIs through (ADR 0030)."""

from __future__ import annotations

import argparse

import uvicorn

from admin.origin import DIST, Upstreams, create_app
from mhg.settings import AuthSettings


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m admin", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--mso", default=Upstreams.mso, help="MSO Operations base URL")
    parser.add_argument("--pc", default=Upstreams.pc, help="PC Governance base URL")
    parser.add_argument(
        "--without-development-sign-in",
        action="store_true",
        help="a deployment: people sign in at the OpenID Connect provider (ADR 0030)",
    )
    args = parser.parse_args()
    # A deployment (MHG_ENVIRONMENT=production) never signs anyone in itself: the token
    # keys it would sign with are the organisations' own, and anyone could pick any role.
    production = AuthSettings().environment == "production"
    if production and not args.without_development_sign_in:
        parser.exit(2, "MHG_ENVIRONMENT=production: start with --without-development-sign-in\n")
    if not (DIST / "index.html").is_file():
        parser.exit(2, f"admin workspace not built ({DIST}): make run builds it\n")
    upstreams = Upstreams(mso=args.mso, pc=args.pc)
    app = create_app(upstreams, development=not args.without_development_sign_in)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
