"""The movies scraper (seed 003, the workshop pipeline): scrape a page -> Kinesis -> DynamoDB.

The flow
--------
1. A scrape starts from ``/scraper/``, ``POST /api/scrapes/``, ``manage.py scrape --url URL`` or the
   schedule (``MOVIES_PAGE_URL``, the seed's ``SCRAP_URL``). The web and API paths record a
   ``ScrapeRun`` and queue it (SQS ``scrape-requests``, consumed by ``events.on_scrape_requests``); the
   command and the schedule run it in-process.
2. Running it: fetch the page (``clients.py``: http/https only, private/loopback/link-local addresses
   refused on Lambda, every redirect re-checked, a size cap), read ``table.movieTable`` rows
   (``parsing.py``) and put each row on the Kinesis stream ``movie-records`` (``producer.py``): batches
   of at most 500, the movie id as partition key, exactly the records ``put_records`` reports failed
   are retried with backoff. A page that cannot be read becomes one record on the ``scrape-errors``
   stream instead.
3. ``events.on_movie_records`` validates and types each row and upserts the movie; a malformed row
   goes to the error table (never a failure: a poison record cannot block the shard).
   ``events.on_scrape_errors`` stores the page errors. Both update the run's counts.

DynamoDB: access patterns and key design (no request or schedule ever Scans)
-----------------------------------------------------------------------------
Everything is per owner (the user who ran the scrape, ``owner`` = their id as a string).

=====================================  =====================================================================
access pattern                         how
=====================================  =====================================================================
one movie                              ``movies`` GetItem (owner, movie_id)
a user's movies, by id, paged          ``movies`` Query owner (range key movie_id), cursor = last movie_id
... with a year range                  GSI ``movies.by-year`` Query owner, start_year BETWEEN a AND b
                                       (sparse: movies without a year are not in it)
... of one genre (+ year range)        ``movie-genres`` Query owner_genre = "<owner>#<genre>", range key
                                       year_movie = "<yyyy>#<movie_id>" BETWEEN "<a>#" AND "<b>#~"
                                       (no year: "none#<id>", after every year)
... whose title contains text          the same Query with a FilterExpression on ``search`` (the folded
                                       primary + original titles): reads that partition, never the table
a user's errors, newest first          ``scrape-errors`` Query owner, range key error_key = "<iso time>#<seq>"
the errors of one run                  GSI ``scrape-errors.by-run`` Query run_id
=====================================  =====================================================================

The movie item is written first, conditional on the Kinesis sequence number (``sequence``,
zero-padded) and the run: a replayed older record, or the same run's row sent twice, changes
nothing. Only then are its genre rows written (one BatchWriteItem); the movie's ``genre_keys`` says
which rows exist, so a changed year or genre list deletes the stale ones, and ``previous_genre_keys``
lets a redelivered record finish that if the function died in between. Each record is counted on
its run once, in the database (``StreamCheckpoint``, see services.py).
"""
