"""The ``raysync`` engine: the service's Raysync client, driven as the official package does.

Not built yet: the official package (3.1.8) no longer runs raysync through the transmitter;
it fetches ``RaysyncCmd.zip`` from the service and drives its local ``Raysync-sdk``
(``shared/spec/transfer-engines.md``). Until that is here, choosing raysync says so.
"""
from __future__ import annotations

from rayvision_dcc.errors import TransferError


def connect_raysync(client, acct, line, cache=None, **options):
    raise TransferError("the raysync engine is not available in this version",
                        hint="use the aspera line (--engine aspera, or the transfer_engine "
                             "setting)")
