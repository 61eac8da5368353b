"""The pizza tracker (seed 000, "Indominus Tex"): follow a Domino's order and get a text at each stage.

A user gives the order's tracker URL, the token their browser sends to it, a phone number and the
stages to be texted about (``/tracker/`` or ``POST /api/orders/``). ``manage.py poll_orders``, run
every minute by the schedule ``poll-orders``, polls every active order concurrently, records each
stage change (``StatusChange``), keeps the latest state as a DynamoDB hot item and texts through
Twilio exactly once per order and chosen stage (a conditional write on the DynamoDB ledger before
each send). Tracking ends when the order is completed, after 5 failed polls in a row, 3 hours
after it started, or when the tracker refuses the token (the user is texted once). The token is
encrypted with KMS and erased when tracking ends. See services.py for the poll run.
"""
