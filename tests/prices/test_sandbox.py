"""The open-data stand-in honours Socrata's $order, $limit, $offset and $where like upstream."""

import pytest

from prices.sandbox import data

URL = "/sandbox/prices/resource/wuxr-ni2i.json"


@pytest.fixture(autouse=True)
def _fresh_sandbox():
    data.appended_reset()
    yield
    data.appended_reset()


def test_it_serves_the_real_798_weeks_newest_first(client, db):
    rows = client.get(URL, {"$order": "date DESC", "$limit": "1000"}).json()

    assert len(rows) == 798
    assert rows[0]["date"] == "2023-02-06T00:00:00.000"
    assert "albany_average_gal" not in rows[-1] or rows[-1]["date"] == "2007-10-29T00:00:00.000"


def test_where_order_limit_and_offset(client, db):
    rows = client.get(
        URL,
        {"$where": "date > '2023-01-01T00:00:00.000'", "$order": "date ASC", "$limit": "2", "$offset": "1"},
    ).json()

    assert [row["date"][:10] for row in rows] == ["2023-01-09", "2023-01-16"]


@pytest.mark.parametrize(
    "query", [{"$where": "price < 3"}, {"$order": "price"}, {"$limit": "many"}, {"$limit": "50001"}]
)
def test_a_query_it_cannot_read_is_socratas_400(client, db, query):
    answer = client.get(URL, query)

    assert answer.status_code == 400
    assert answer.json()["code"] == "query.compiler.malformed"


def test_the_switch_appends_a_week_with_a_drop_everywhere_but_buffalo(client, db):
    newest = data.rows()[0]

    row = data.drop_week_append()

    assert row["date"] == "2023-02-13T00:00:00.000"
    assert float(row["albany_average_gal"]) == pytest.approx(float(newest["albany_average_gal"]) - 0.05)
    assert float(row["buffalo_average_gal"]) == pytest.approx(float(newest["buffalo_average_gal"]) + 0.03)
    assert client.get(URL, {"$limit": "1", "$order": "date DESC"}).json() == [row]
