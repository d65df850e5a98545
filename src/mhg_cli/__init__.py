"""`mhg`, the command line: the composition root that names both services.

The kernel (`mhg`) knows no context; this package wires it to `services.mso_ops` and
`services.pc_governance` for serving, tokens, audits, projections and OpenAPI export.
"""
