"""Run files made in the test, as a watch or an app would export them."""

from __future__ import annotations

import gzip
import io
import zipfile
from datetime import UTC, datetime, timedelta

from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.record_message import RecordMessage
from fit_tool.profile.messages.session_message import SessionMessage
from fit_tool.profile.profile_type import FileType, Manufacturer, Sport
from fitdecode.utils import compute_crc

START = datetime(2026, 3, 1, 6, 30, tzinfo=UTC)
"""A Sunday; 07:30 in Paris, 06:30 in London."""


def _ms(moment: datetime) -> int:
    return round(moment.timestamp() * 1000)


def fit_file(
    *,
    distance_m: float = 10_234.0,
    timer_s: float = 3_000.0,
    elapsed_s: float = 3_120.0,
    average_hr: int | None = 148,
    sport: Sport = Sport.RUNNING,
    start: datetime = START,
    records: int = 20,
    session: bool = True,
) -> bytes:
    """A FIT activity: file id, `records` per-second records, then its session summary."""
    builder = FitFileBuilder(auto_define=True)
    file_id = FileIdMessage()
    file_id.type = FileType.ACTIVITY
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.serial_number = 1
    file_id.time_created = _ms(start)
    builder.add(file_id)
    for second in range(records):
        record = RecordMessage()
        record.timestamp = _ms(start + timedelta(seconds=second))
        record.distance = second * 3.4
        record.heart_rate = 140
        builder.add(record)
    if session:
        summary = SessionMessage()
        summary.timestamp = _ms(start + timedelta(seconds=elapsed_s))
        summary.start_time = _ms(start)
        summary.total_distance = distance_m
        summary.total_timer_time = timer_s
        summary.total_elapsed_time = elapsed_s
        if average_hr is not None:
            summary.avg_heart_rate = average_hr
        summary.sport = sport
        builder.add(summary)
    return bytes(builder.build().to_bytes())


def with_many_records(fit: bytes, count: int) -> bytes:
    """`fit` with `count` more per-second records spliced in after its header: a long run's
    worth of data in milliseconds (building them one by one with fit-tool takes minutes)."""
    header_size = fit[0]
    definition = b"\x4f\x00\x00" + (20).to_bytes(2, "little") + b"\x03"
    definition += bytes([253, 4, 0x86, 5, 4, 0x86, 3, 1, 0x02])
    fit_epoch = round(START.timestamp()) - 631_065_600
    records = b"".join(
        b"\x0f"
        + (fit_epoch + second).to_bytes(4, "little")
        + (second * 340).to_bytes(4, "little")
        + b"\x8c"
        for second in range(count)
    )
    body = definition + records + fit[header_size:-2]
    header = bytearray(fit[:header_size])
    header[4:8] = len(body).to_bytes(4, "little")
    if header_size == 14:
        header[12:14] = compute_crc(bytes(header[:12])).to_bytes(2, "little")
    content = bytes(header) + body
    return content + int(compute_crc(content)).to_bytes(2, "little")


def gpx_file(
    *,
    points: int = 200,
    step_s: int = 5,
    step_deg: float = 1.5e-4,
    pause_after: int | None = None,
    pause_s: int = 120,
    hr: int | None = 150,
    kind: str | None = "running",
    elevation: bool = True,
) -> str:
    """A GPX track north along a meridian: `points` points `step_s` apart, each `step_deg`
    further (1.5e-4° ≈ 16.7 m, 3.3 m/s); optionally standing still for `pause_s` once."""
    rows = []
    moment = START
    for index in range(points):
        ele = f"<ele>{20 + index % 3}</ele>" if elevation else ""
        extension = (
            "<extensions><gpxtpx:TrackPointExtension>"
            f"<gpxtpx:hr>{hr}</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions>"
            if hr is not None
            else ""
        )
        rows.append(
            f'<trkpt lat="{51 + index * step_deg:.7f}" lon="-0.1000000">{ele}'
            f"<time>{moment:%Y-%m-%dT%H:%M:%SZ}</time>{extension}</trkpt>"
        )
        if index == pause_after:  # standing still at this point, then on again
            moment += timedelta(seconds=pause_s)
            rows.append(
                rows[-1].replace(
                    f"{moment - timedelta(seconds=pause_s):%H:%M:%S}", f"{moment:%H:%M:%S}"
                )
            )
        moment += timedelta(seconds=step_s)
    type_line = f"<type>{kind}</type>" if kind else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        '<wpt lat="51" lon="-0.1"><name>Start</name><type>Flag</type></wpt>'
        f"<trk><name>Morning Run</name>{type_line}<trkseg>{''.join(rows)}</trkseg></trk></gpx>"
    )


def tcx_file(laps: list[tuple[float, float, int | None]], *, sport: str = "Running") -> str:
    """A TCX activity with one `<Lap>` per (seconds, metres, average HR), a trackpoint each."""
    body = []
    moment = START
    for seconds, metres, hr in laps:
        heart = f"<AverageHeartRateBpm><Value>{hr}</Value></AverageHeartRateBpm>" if hr else ""
        body.append(
            f'<Lap StartTime="{moment:%Y-%m-%dT%H:%M:%SZ}"><TotalTimeSeconds>{seconds}'
            f"</TotalTimeSeconds><DistanceMeters>{metres}</DistanceMeters>{heart}"
            f"<Track><Trackpoint><Time>{moment:%Y-%m-%dT%H:%M:%SZ}</Time></Trackpoint></Track>"
            "</Lap>"
        )
        moment += timedelta(seconds=seconds)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<TrainingCenterDatabase '
        'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
        f'<Activities><Activity Sport="{sport}"><Id>{START:%Y-%m-%dT%H:%M:%SZ}</Id>'
        f"{''.join(body)}</Activity></Activities></TrainingCenterDatabase>"
    )


def zipped(*members: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)
