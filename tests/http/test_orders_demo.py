from __future__ import annotations


def test_seed_demo_gives_every_demo_seller_working_hours_once(app, fakes):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert len(fakes.schedules.schedules) == 4
    assert all(s.time_zone == "Europe/Madrid" and len(s.weekly_hours) == 5 for s in fakes.schedules.schedules.values())
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0 and "hours" in second.output and "created" not in second.output.split("hours")[-1]
    assert all(s.version == 1 for s in fakes.schedules.schedules.values())
