"""The backup commands on the app wired with fakes: output, progress bar, one-line refusals."""

from __future__ import annotations


def test_backup_then_restore_prints_a_summary(app, fakes, tmp_path):
    fakes.archiver.collections = {"users": [{"_id": "u1"}], "orders": [{"_id": "o1"}, {"_id": "o2"}]}
    runner = app.test_cli_runner()
    archive = str(tmp_path / "a.zip")

    result = runner.invoke(args=["backup", "-o", archive])
    assert result.exit_code == 0, result.output
    assert f"wrote {archive}: 2 collections, 3 documents" in result.output
    assert "backing up" in result.output  # the progress bar (stderr is mixed in by the runner)

    fakes.archiver.collections = {}
    result = runner.invoke(args=["restore", archive])
    assert result.exit_code == 0 and f"restored {archive}" in result.output
    assert fakes.archiver.collections["orders"] == [{"_id": "o1"}, {"_id": "o2"}]


def test_restore_over_data_without_drop_fails_with_one_line(app, fakes, tmp_path):
    fakes.archiver.collections = {"users": [{"_id": "u1"}]}
    runner = app.test_cli_runner()
    archive = str(tmp_path / "a.zip")
    runner.invoke(args=["backup", "-o", archive])

    result = runner.invoke(args=["restore", archive])

    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == "Error: the database already holds data; pass --drop to replace it"
    assert runner.invoke(args=["restore", archive, "--drop"]).exit_code == 0


def test_backup_without_output_names_the_archive_after_the_database_and_time(app, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = app.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code == 0
    assert "wrote marketplace-" in result.output and ".backup.zip" in result.output
