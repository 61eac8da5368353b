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
   ``events.on_scrape_errors`` stores the page errors. Both update the run's counts; the movie
   consumer also writes the movie's row of the relational list index (``models.MovieListing``).

DynamoDB: access patterns and key design (no request or schedule ever Scans)
-----------------------------------------------------------------------------
Everything is per owner (the user who ran the scrape, ``owner`` = their id as a string).

=====================================  =====================================================================
access pattern                         how
=====================================  =====================================================================
one movie                              ``movies`` GetItem (owner, movie_id)
a user's movies filtered, counted,     the relational index ``MovieListing`` (one row per owner + movie id,
sorted (id, title, year), paged both   written by the stream consumer with the run's counts): a count and a
ways, exported; the movies of a run    keyset page are two indexed queries, never a DynamoDB read
every movie of a user (export of the   ``movies`` Query owner (range key movie_id)
account, rebuilding the listing)
a user's errors, newest first          ``scrape-errors`` Query owner, range key error_key = "<iso time>#<seq>"
the errors of one run                  GSI ``scrape-errors.by-run`` Query run_id
=====================================  =====================================================================

The movie table's by-year and by-genre indexes (``"<owner>#<genre>"`` / ``"<yyyy>#<movie_id>"``)
served the list before the relational index did; they are still written (DynamoDB keeps them) and
would serve a list again without the database.

The movie item is written first, conditional on the Kinesis sequence number (``sequence``,
zero-padded) and the run: a replayed older record, or the same run's row sent twice, changes
nothing. Only then are its genre rows written (one BatchWriteItem); the movie's ``genre_keys`` says
which rows exist, so a changed year or genre list deletes the stale ones, and ``previous_genre_keys``
lets a redelivered record finish that if the function died in between. Each record is counted on
its run once, in the database (``StreamCheckpoint``, see services.py).
"""
