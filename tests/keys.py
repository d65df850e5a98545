"""Each organization's test signing key (Ed25519): a service is given its own seed and the
peer's public key, never the peer's seed."""

from __future__ import annotations

import base64

from mhg.signing import SigningKey

MSO_SIGNING_SEED = base64.b64encode(b"mso-ops test signing key, 32 b!!").decode()
PC_SIGNING_SEED = base64.b64encode(b"pc-governance test signing key!!").decode()
MSO_KEY = SigningKey.from_text(MSO_SIGNING_SEED)
PC_KEY = SigningKey.from_text(PC_SIGNING_SEED)
