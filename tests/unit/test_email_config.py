"""E-mail settings: the SMTP server, its TLS and credentials, and where the links point."""

import pytest

from config import ConfigError, load_settings


def test_defaults_send_to_the_local_smtp_server_and_link_to_the_local_web():
    settings = load_settings({})
    assert (settings.smtp_host, settings.smtp_port, settings.smtp_tls) == ("127.0.0.1", 8025, "none")
    assert settings.web_public_url == "http://127.0.0.1:3000" and settings.password_reset_ttl_seconds == 1800


def test_the_environment_sets_every_field():
    settings = load_settings({"SMTP_HOST": "smtp.example.com", "SMTP_PORT": "465", "SMTP_TLS": "SSL",
                              "SMTP_USERNAME": "mailer", "SMTP_PASSWORD": "s3cret", "MAIL_FROM": "Manitas <no@x.es>",
                              "WEB_PUBLIC_URL": "https://manitas.example/"})
    assert (settings.smtp_host, settings.smtp_port, settings.smtp_tls) == ("smtp.example.com", 465, "ssl")
    assert (settings.smtp_username, settings.smtp_password) == ("mailer", "s3cret")
    assert settings.mail_from == "Manitas <no@x.es>" and settings.web_public_url == "https://manitas.example"


@pytest.mark.parametrize(("environ", "variable"), [
    ({"SMTP_TLS": "maybe"}, "SMTP_TLS"),
    ({"SMTP_PORT": "0"}, "SMTP_PORT"),
    ({"SMTP_USERNAME": "only-the-name"}, "SMTP_USERNAME"),
    ({"MAIL_FROM": "nobody"}, "MAIL_FROM"),
    ({"WEB_PUBLIC_URL": "manitas.example"}, "WEB_PUBLIC_URL"),
    ({"PASSWORD_RESET_TTL_SECONDS": "5"}, "PASSWORD_RESET_TTL_SECONDS"),
])
def test_a_bad_setting_is_named(environ, variable):
    with pytest.raises(ConfigError, match=variable):
        load_settings(environ)


def test_production_mails_another_host_over_tls_and_links_over_https():
    from tests.unit.test_square_config import PRODUCTION

    assert load_settings(PRODUCTION).smtp_tls == "none"  # a relay on the same host
    with pytest.raises(ConfigError, match="SMTP_TLS"):
        load_settings({**PRODUCTION, "SMTP_HOST": "smtp.example.com"})
    assert load_settings({**PRODUCTION, "SMTP_HOST": "smtp.example.com", "SMTP_TLS": "starttls"}).smtp_port == 8025
    with pytest.raises(ConfigError, match="WEB_PUBLIC_URL"):
        load_settings({**PRODUCTION, "WEB_PUBLIC_URL": "http://manitas.example"})
