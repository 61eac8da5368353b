"""Countries (seed 004, the Chalice countries app): queued REST Countries fetches with their status.

The flow
--------
1. ``GET|POST /fetch-data/<code>/`` (anyone, throttled), the page's Fetch button or
   ``manage.py fetch_country`` checks the code (ISO 3166-1 alpha-2, pycountry), records a pending
   ``FetchRequest`` and sends it to SQS ``fetch-requests``; 202 with the request id and status URL.
   SQS unreachable: the request stays pending (the outbox) and ``requeue_pending_fetches`` (every
   minute on the schedule) sends it later.
2. ``events.on_fetch_requests`` claims each request once, calls REST Countries through the circuit
   breaker (breaker.py: pybreaker, state in DynamoDB, shared by every instance), stores the first
   element of the answer in DynamoDB (``CountryItem``, numbers as Decimal) and records a
   ``FetchAttempt``. Only transient failures are reported (``batchItemFailures``); the 4th failed
   receive marks the request failed, and SQS moves the message to ``fetch-requests-dlq``.
3. ``GET /view-data/<code>/`` reads the document (GetItem; 404 if never fetched) and
   ``GET /status/<code>/`` lists the attempts, newest first. Failures answer the original's
   ``{"Code", "Message"}`` body (api_errors.py). DAX in front of the table: dax.py.
"""
