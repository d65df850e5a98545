"""The audit packet: a period's governance record, assembled from the event log alone.

`collect` reads the stored events up to the end of the period and rebuilds each
aggregate as it stood then; `sections` turns them into the packet's parts; `seal`
adds the hash-chain seal at the last log position the packet covers; `html` renders
the same packet as a page that prints. A packet for a past period is rebuilt exactly
as it stood, whatever happened later.
"""
