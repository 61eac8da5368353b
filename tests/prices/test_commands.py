import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db(transaction=True)


def test_fetch_prices_ends_with_a_summary_line(sandbox, aws, capsys):
    summary = call_command("fetch_prices", "--backfill", "2")

    assert summary == (
        "Fetched 2 rows: 34 new reports, 0 unchanged, 0 revised, 0 values skipped; 17 latest prices written."
    )
    assert "Fetching the newest 2 weeks" in capsys.readouterr().err


def test_an_upstream_failure_is_one_line_and_a_non_zero_exit(upstream, aws):
    for _ in range(3):
        upstream.get("https://data.ny.gov/resource/wuxr-ni2i.json", status=502)

    with pytest.raises(CommandError) as failed:
        call_command("fetch_prices")
    assert str(failed.value) == "Nothing stored: NY Open Data answered 502 Bad Gateway."


def test_a_backfill_out_of_range_is_refused(aws):
    with pytest.raises(CommandError, match="--backfill takes 1 to 50000 weeks"):
        call_command("fetch_prices", "--backfill", "0")


def test_help_says_what_it_does(capsys):
    with pytest.raises(SystemExit):
        call_command("fetch_prices", "--help")
    assert "Fetch the weekly NY gasoline prices" in capsys.readouterr().out
