"""Reading the run file a runner sends: .fit, .gpx, .tcx, bare or in one .zip/.gz."""

from __future__ import annotations

import time
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from fit_tool.profile.profile_type import Sport
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.runs import MAX_BYTES, RunFileError, RunRecord, read_run_file
from bot.core.runs.gpx import read_gpx
from tests.run_fixtures import (
    START,
    fit_file,
    gpx_file,
    gzipped,
    tcx_file,
    with_many_records,
    zipped,
)

METRES_PER_DEGREE = 111_195.0
FIT = fit_file()


def within(actual: float, expected: float, share: float = 0.02) -> bool:
    return abs(actual - expected) <= share * expected


def refused(name: str, data: bytes) -> str:
    """The one line the runner is told; never a traceback."""
    with pytest.raises(RunFileError) as caught:
        read_run_file(name, data)
    message = str(caught.value)
    assert message
    assert "\n" not in message
    assert "Traceback" not in message
    return message


def outcome(name: str, data: bytes) -> str:
    """What the runner is told: the run read, or the refusal; anything else raises."""
    try:
        record = read_run_file(name, data)
    except RunFileError as error:
        return str(error)
    return f"read {record.distance_m} m at {record.start.isoformat()}"


def test_a_fit_run_reads_as_its_watch_summary() -> None:
    record = read_run_file("Morning_Run.fit", FIT)

    assert record == RunRecord(
        start=START,
        distance_m=10_234.0,
        moving_time_s=3_000,
        average_hr=148,
        sport="run",
        source="fit",
    )
    assert record.is_run


def test_a_fit_ride_is_not_counted_as_a_run() -> None:
    record = read_run_file("commute.fit", fit_file(sport=Sport.CYCLING, distance_m=25_000.0))

    assert record.sport == "ride"
    assert not record.is_run
    assert within(record.distance_m, 25_000.0)


def test_a_brick_counts_only_its_run() -> None:
    """A ride then a run, as two chained FIT files: the run is what strength follows."""
    ride = fit_file(sport=Sport.CYCLING, distance_m=40_000.0, timer_s=4_000.0, average_hr=130)
    run = fit_file(start=START + timedelta(hours=2), distance_m=8_000.0, timer_s=2_400.0)

    record = read_run_file("brick.fit", ride + run)

    assert (record.sport, record.distance_m, record.moving_time_s) == ("run", 8_000.0, 2_400)
    assert record.start == START + timedelta(hours=2)
    assert record.average_hr == 148


def test_a_fit_without_heart_rate_has_none() -> None:
    assert read_run_file("run.fit", fit_file(average_hr=None)).average_hr is None


def test_a_fit_file_is_recognised_without_its_extension() -> None:
    assert read_run_file("document", FIT).source == "fit"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("run.fit.gz", gzipped(FIT)),
        ("run.zip", zipped(("export/run.fit", FIT))),
        ("run.zip", zipped(("run.fit", FIT), ("__MACOSX/._run.fit", b"junk"))),
        ("run.zip", zipped(("notes.txt", b"easy run"), ("Run.FIT", FIT))),
    ],
)
def test_a_packed_fit_reads_as_the_bare_one(name: str, data: bytes) -> None:
    assert read_run_file(name, data) == read_run_file("run.fit", FIT)


def test_a_gpx_track_gives_distance_moving_time_and_heart_rate() -> None:
    """199 steps of 16.7 m every 5 s, with a two-minute stop that is not moving time."""
    record = read_run_file("run.gpx", gpx_file(points=200, pause_after=100).encode())

    assert record.start == START
    assert within(record.distance_m, 199 * 1.5e-4 * METRES_PER_DEGREE)
    assert within(record.moving_time_s, 199 * 5)
    assert record.average_hr == 150
    assert (record.sport, record.source) == ("run", "gpx")


def test_a_gpx_without_elevation_or_heart_rate_still_reads() -> None:
    record = read_run_file("run.gpx", gpx_file(elevation=False, hr=None).encode())

    assert within(record.distance_m, 199 * 1.5e-4 * METRES_PER_DEGREE)
    assert record.average_hr is None


@pytest.mark.parametrize(
    ("kind", "sport"),
    [("running", "run"), (None, "run"), ("cycling", "ride"), ("hiking", "walk")],
)
def test_a_gpx_type_names_the_sport(kind: str | None, sport: str) -> None:
    assert read_run_file("a.gpx", gpx_file(kind=kind).encode()).sport == sport


def test_a_tcx_run_is_the_sum_of_its_laps_with_time_weighted_heart_rate() -> None:
    data = tcx_file([(600.0, 2_000.0, 140), (1_200.0, 4_000.0, 160), (300.0, 800.0, None)])

    record = read_run_file("run.tcx", data.encode())

    assert record.start == START
    assert within(record.distance_m, 6_800.0)
    assert record.moving_time_s == 2_100
    assert record.average_hr == 153  # (140·600 + 160·1200) / 1800
    assert (record.sport, record.source) == ("run", "tcx")


def test_a_tcx_ride_is_not_a_run() -> None:
    record = read_run_file(
        "ride.tcx.gz", gzipped(tcx_file([(3600, 30_000, None)], sport="Biking").encode())
    )
    assert record.sport == "ride"


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("run.fit", b"", "empty"),
        ("run.fit", FIT[: len(FIT) // 2], "FIT file — it looks damaged"),
        ("run.fit", b"\x0e" + FIT[1:40], "FIT file — it looks damaged"),
        ("run.fit", fit_file(session=False), "no activity summary"),
        ("run.gpx", b"<gpx><trk><trkseg><trkpt lat=", "GPX file — it looks damaged"),
        (
            "run.gpx",
            gpx_file().replace("<time>", "<when>").replace("</time>", "</when>").encode(),
            "no times",
        ),
        ("run.tcx", b"<TrainingCenterDatabase><Activities>", "TCX file"),
        ("run.tcx", b"<TrainingCenterDatabase/>", "no finished activity"),
        ("report.pdf", b"%PDF-1.7 not a run", ".fit, .gpx and .tcx"),
        ("run.gz", b"\x1f\x8b\x08\x00 garbage", ".gz file — it looks damaged"),
        ("run.zip", b"PK\x03\x04 garbage", ".zip"),
        ("run.zip", zipped(("a.fit", FIT), ("b.fit", FIT)), "exactly one run file"),
        ("run.zip", zipped(("notes.txt", b"x"), ("more.txt", b"y")), "no .fit, .gpx or .tcx"),
        ("run.zip", zipped(("inner.zip", zipped(("a.fit", FIT)))), "another archive"),
        ("run.fit.gz.gz", gzipped(gzipped(FIT)), "another archive"),
    ],
)
def test_a_file_that_cannot_be_read_gets_one_friendly_line(
    name: str, data: bytes, says: str
) -> None:
    assert says in refused(name, data)


def test_a_gpx_just_over_the_point_cap_is_refused_while_streaming() -> None:
    track = gpx_file(points=1_001).encode()  # self-closing or not, under the byte pre-check

    with pytest.raises(RunFileError, match="more than 1,000 points"):
        read_gpx(track, max_points=1_000)
    assert read_gpx(track, max_points=1_001).moving_time_s == 1_000 * 5


def test_crafted_namespace_declarations_do_not_stall_the_reader() -> None:
    began = time.perf_counter()

    assert "no track points" in refused("a.gpx", b"<gpx>" + b" xmlns" * 200_000 + b"</gpx>")
    assert time.perf_counter() - began < 2


def test_an_entity_bomb_in_xml_is_refused_unexpanded() -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    )
    assert "damaged" in refused("run.gpx", (bomb + "<gpx>&c;</gpx>").encode())
    assert "damaged" in refused("run.gpx", (bomb + "<gpx>&c;</gpx>").encode("utf-16"))
    assert "damaged" in refused(
        "run.tcx", (bomb + "<TrainingCenterDatabase>&c;</TrainingCenterDatabase>").encode()
    )


def test_files_over_twenty_megabytes_are_refused_packed_or_unpacked() -> None:
    zeros = bytes(MAX_BYTES + 1)

    assert "over 20 MB" in refused("run.gpx", zeros)
    assert "over 20 MB" in refused("run.gpx.gz", gzipped(zeros))  # a gzip bomb: ~20 kB packed
    assert "over 20 MB" in refused("run.zip", zipped(("run.gpx", zeros)))


def test_a_gpx_with_too_many_points_is_refused_quickly() -> None:
    point = b'<trkpt lat="51" lon="0"/>'
    huge = b"<gpx><trk><trkseg>" + point * 500_000 + b"</trkseg></trk></gpx>"
    began = time.perf_counter()

    assert "points" in refused("huge.gpx", huge)
    assert time.perf_counter() - began < 5


def test_a_long_fit_file_reads_without_decoding_every_record() -> None:
    """Only the session summary is decoded, so the per-second records cost a skim."""
    long_run = with_many_records(fit_file(timer_s=36_000.0, distance_m=100_000.0), 100_000)
    began = time.perf_counter()

    record = read_run_file("marathon.fit", long_run)

    assert (record.moving_time_s, record.distance_m) == (36_000, 100_000.0)
    assert time.perf_counter() - began < 5  # decoding every record takes tens of seconds


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(["a.fit", "a.gpx", "a.tcx", "a.zip", "a.gz", "a", "a.fit.gz"]),
    data=st.binary(max_size=400),
)
def test_random_bytes_are_refused_with_one_line(name: str, data: bytes) -> None:
    assert "\n" not in outcome(name, data)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(FIT) - 1), st.integers(0, 255)), max_size=4))
def test_a_damaged_fit_file_reads_or_is_refused_with_one_line(
    damage: list[tuple[int, int]],
) -> None:
    data = bytearray(FIT)
    for offset, value in damage:
        data[offset] = value
    assert "\n" not in outcome("run.fit", bytes(data))


GPX = gpx_file(points=20).encode()
TCX = tcx_file([(600.0, 2_000.0, 140), (900.0, 3_000.0, 150)]).encode()


@settings(max_examples=200, deadline=None)
@given(
    name=st.sampled_from(["run.gpx", "run.tcx"]), cut=st.floats(0, 1), junk=st.binary(max_size=8)
)
def test_a_cut_or_garbled_xml_run_reads_or_is_refused_with_one_line(
    name: str, cut: float, junk: bytes
) -> None:
    whole = GPX if name == "run.gpx" else TCX
    at = int(len(whole) * cut)
    assert "\n" not in outcome(name, whole[:at] + junk + whole[at + len(junk) :])


def test_the_start_is_utc_whatever_zone_it_is_shown_in() -> None:
    record = read_run_file("run.fit", FIT)
    assert record.start.astimezone(ZoneInfo("Europe/Paris")).hour == 7
