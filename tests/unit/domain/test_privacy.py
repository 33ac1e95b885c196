from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.privacy.download_link import DownloadLinkExpired, DownloadLinks, InvalidDownloadLink
from domain.privacy.export import DataExport, ExportExpired, ExportNotReady, ExportStatus

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
LINKS = DownloadLinks(b"k" * 32)


def _export() -> DataExport:
    return DataExport.request(export_id="e1", user_id="u1", now=NOW)


def test_a_new_export_waits_for_a_worker_and_is_active():
    export = _export()
    assert export.status is ExportStatus.PENDING and export.is_active and export.claimable(NOW)


def test_a_started_export_is_not_claimable_until_its_lease_lapses():
    export = _export()
    export.start(NOW, timedelta(minutes=10))
    assert export.status is ExportStatus.RUNNING and export.is_active
    assert not export.claimable(NOW + timedelta(minutes=9))
    assert export.claimable(NOW + timedelta(minutes=10))


def test_a_finished_export_is_downloadable_until_its_window_ends():
    export = _export()
    export.start(NOW, timedelta(minutes=10))
    export.finish(now=NOW, size_bytes=10, files=["account.json"], keep_for=timedelta(days=7))
    assert not export.is_active and export.lease_until is None
    export.ensure_downloadable(NOW + timedelta(days=6))
    with pytest.raises(ExportExpired):
        export.ensure_downloadable(NOW + timedelta(days=7))
    assert export.is_past_retention(NOW + timedelta(days=7))


def test_an_unfinished_export_cannot_be_downloaded():
    with pytest.raises(ExportNotReady, match="pending"):
        _export().ensure_downloadable(NOW)


def test_a_failed_build_is_retried_later_then_given_up():
    export = _export()
    export.fail(now=NOW, reason="ServerSelectionTimeoutError", max_attempts=2)
    assert export.status is ExportStatus.PENDING and not export.claimable(NOW)
    assert export.claimable(NOW + timedelta(minutes=1))
    export.fail(now=NOW, reason="ServerSelectionTimeoutError", max_attempts=2)
    assert export.status is ExportStatus.FAILED and not export.is_active


def test_a_link_works_for_its_export_and_person_until_it_expires():
    token = LINKS.sign(export_id="e1", user_id="u1", expires_at=NOW + timedelta(minutes=15))
    LINKS.verify(token, export_id="e1", user_id="u1", now=NOW + timedelta(minutes=14))
    with pytest.raises(DownloadLinkExpired, match="expired"):
        LINKS.verify(token, export_id="e1", user_id="u1", now=NOW + timedelta(minutes=15))


@pytest.mark.parametrize("export_id, user_id", [("e2", "u1"), ("e1", "u2")])
def test_a_link_is_useless_for_another_export_or_person(export_id, user_id):
    token = LINKS.sign(export_id="e1", user_id="u1", expires_at=NOW + timedelta(minutes=15))
    with pytest.raises(InvalidDownloadLink):
        LINKS.verify(token, export_id=export_id, user_id=user_id, now=NOW)


@pytest.mark.parametrize("mangle", [
    lambda t: t.replace(t.split(".")[0], str(int(t.split(".")[0]) + 3600)),  # a later expiry, same signature
    lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
    lambda t: "not-a-token",
    lambda t: "",
    lambda t: "9" * 40 + "." + t.split(".")[1],
])
def test_a_forged_or_altered_link_is_refused(mangle):
    token = LINKS.sign(export_id="e1", user_id="u1", expires_at=NOW + timedelta(minutes=15))
    with pytest.raises(InvalidDownloadLink):
        LINKS.verify(mangle(token), export_id="e1", user_id="u1", now=NOW)


def test_a_link_signed_with_another_key_is_refused():
    token = DownloadLinks(b"x" * 32).sign(export_id="e1", user_id="u1", expires_at=NOW + timedelta(minutes=15))
    with pytest.raises(InvalidDownloadLink):
        LINKS.verify(token, export_id="e1", user_id="u1", now=NOW)
