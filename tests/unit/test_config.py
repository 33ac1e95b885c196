import subprocess
import sys

import pytest

from config import DEVELOPMENT_JWT_SECRET, ConfigError, load_settings
from devtools.processes import REPO_ROOT


def test_defaults_run_the_local_stack():
    settings = load_settings({})
    assert settings.mongodb_uri.startswith("mongodb://127.0.0.1")
    assert settings.jwt_secret == DEVELOPMENT_JWT_SECRET and not settings.is_production


@pytest.mark.parametrize(("environ", "variable"), [
    ({"APP_ENV": "staging"}, "APP_ENV"),
    ({"MONGODB_URI": "postgres://x"}, "MONGODB_URI"),
    ({"JWT_SECRET": "short"}, "JWT_SECRET"),
    ({"APP_ENV": "production"}, "JWT_SECRET"),
    ({"ACCESS_TOKEN_TTL_SECONDS": "ten"}, "ACCESS_TOKEN_TTL_SECONDS"),
    ({"ACCESS_TOKEN_TTL_SECONDS": "5"}, "ACCESS_TOKEN_TTL_SECONDS"),
    ({"CORS_ALLOWED_ORIGINS": "ftp://x"}, "CORS_ALLOWED_ORIGINS"),
])
def test_a_bad_setting_is_named(environ, variable):
    with pytest.raises(ConfigError, match=variable):
        load_settings(environ)


def test_start_up_stops_with_one_line_naming_the_variable():
    result = subprocess.run(
        [sys.executable, "-c", "import bootstrap; bootstrap.wsgi_app()"],
        env={"PYTHONPATH": f"{REPO_ROOT / 'src'}:{REPO_ROOT}", "MONGODB_URI": "nope", "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip() == "configuration error: MONGODB_URI: must start with mongodb:// or mongodb+srv://"
