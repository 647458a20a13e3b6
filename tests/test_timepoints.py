"""Dates with the precision the sources have: order, comparison and durations (issue 12)."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from chainmodel.timepoints import (add_duration, compare, definitely_after, instant_sort_key, parse_duration,
                                   parse_instant, possibly_after)


def test_each_precision_stands_for_its_days():
    assert (parse_instant("2023").first, parse_instant("2023").last) == (date(2023, 1, 1), date(2023, 12, 31))
    assert parse_instant("2024-02").last == date(2024, 2, 29)
    assert parse_instant("2025-03-21T10:00:00+09:00").precision == "moment"
    assert parse_instant("2025-02-30") is None and parse_instant("around 2023") is None


def test_a_month_end_against_a_later_year_and_the_same_month():
    end = parse_instant("2021-03")
    assert compare(parse_instant("2023"), end) == "after"
    assert compare(parse_instant("2021-03-20"), end) == "possibly-after"  # the month may have ended on the 10th
    assert compare(parse_instant("2021-03-01"), end) == "possibly-before"
    assert compare(parse_instant("2021"), end) == "possibly-after"
    assert compare(parse_instant("2021-03-31"), parse_instant("2021-03-31")) == "same"


def test_events_sort_in_time_order_whatever_their_precision():
    texts = ["2025-08", "2023", "2025-03-15", "2025-03", "2025-08-04", None, "2025-03-17T09:00:00"]
    ordered = sorted(texts, key=lambda t: instant_sort_key(parse_instant(t)))
    assert ordered == ["2023", "2025-03", "2025-03-15", "2025-03-17T09:00:00", "2025-08", "2025-08-04", None]


def test_durations_follow_the_calendar():
    assert add_duration(date(2024, 1, 31), parse_duration("P1M")) == date(2024, 2, 29)
    assert add_duration(date(2025, 3, 31), parse_duration("P30D")) == date(2025, 4, 30)
    assert parse_duration("P1Y6M").months == 18 and parse_duration("PT5H").days == 1
    assert parse_duration("-P1D") is None and parse_duration("P") is None


instants = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)).flatmap(
    lambda d: st.sampled_from([d.isoformat(), d.isoformat()[:7], d.isoformat()[:4]]))


@given(instants, instants)
def test_definitely_after_implies_possibly_after_and_never_both_ways(a, b):
    first, second = parse_instant(a), parse_instant(b)
    if definitely_after(first, second):
        assert possibly_after(first, second)
        assert not possibly_after(second, first)
    assert compare(first, second) in ("after", "before", "same", "possibly-after", "possibly-before")


def test_describe_lists_an_incident_s_events_in_time_order_whatever_their_precision(view_of):
    """Issue 12: `describe` sorted events as text ("2024-03-15" before "2024" before "2025-01")."""
    from chainmodel.describe import describe
    from chainmodel.serialise import describe_json

    body = """
    ex:laptop a cm:Device ; cm:portable true .
    ex:incident a cm:Incident ; cm:concerns ex:laptop ; cm:hasEvent ex:a , ex:b , ex:c , ex:d , ex:e .
    ex:a a cm:Event ; cm:date "2025-01"^^xsd:gYearMonth .
    ex:b a cm:Event ; cm:date "2024"^^xsd:gYear .
    ex:c a cm:Event ; cm:date "2024-03-15"^^xsd:date .
    ex:d a cm:Event ; cm:date "2024-03-15T09:30:00"^^xsd:dateTime .
    ex:e a cm:Event .
    """
    view = view_of(body)
    (incident,) = describe_json(view, describe(view))["incidents"]
    assert [e["date"] for e in incident["events"]] == ["2024", "2024-03-15", "2024-03-15T09:30:00", "2025-01", None]
