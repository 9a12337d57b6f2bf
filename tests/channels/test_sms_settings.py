"""The SMS channel fails closed at start-up when it could not authenticate Twilio."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.channels.sms import TwilioSmsInput
from bot.settings import Settings, SettingsError, load_settings
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER

PRODUCTION = Settings(
    env="production",
    secret_key="k" * 48,
    public_url="https://familybot.district.org",
    twilio_account_sid=ACCOUNT_SID,
    twilio_auth_token=AUTH_TOKEN,
    twilio_from=FROM_NUMBER,
)


def test_production_settings_that_are_real_start_the_channel():
    PRODUCTION.check()
    assert TwilioSmsInput(PRODUCTION).name() == "sms"


@pytest.mark.parametrize(
    ("change", "names"),
    [
        ({"twilio_auth_token": ""}, "FAMILYBOT_TWILIO_AUTH_TOKEN"),
        ({"twilio_auth_token": "change-me"}, "FAMILYBOT_TWILIO_AUTH_TOKEN"),
        ({"twilio_auth_token": "secret"}, "FAMILYBOT_TWILIO_AUTH_TOKEN"),
        ({"twilio_auth_token": "abc123"}, "FAMILYBOT_TWILIO_AUTH_TOKEN"),
        ({"public_url": ""}, "FAMILYBOT_PUBLIC_URL"),
        ({"public_url": "http://familybot.district.org"}, "FAMILYBOT_PUBLIC_URL"),
        ({"public_url": "https://localhost:5005"}, "FAMILYBOT_PUBLIC_URL"),
        ({"public_url": "https://example.com"}, "FAMILYBOT_PUBLIC_URL"),
        ({"public_url": "familybot.district.org"}, "FAMILYBOT_PUBLIC_URL"),
    ],
)
def test_missing_or_placeholder_secrets_refuse_to_start(change, names):
    settings = replace(PRODUCTION, **change)
    with pytest.raises(SettingsError, match=names) as raised:
        TwilioSmsInput(settings)
    assert "\n" not in str(raised.value)  # one clear line
    with pytest.raises(SettingsError, match=names):
        settings.check()  # `familybot up` refuses before starting anything


def test_development_accepts_a_local_url_but_never_an_empty_token():
    dev = replace(PRODUCTION, env="development", public_url="http://localhost:5005")
    TwilioSmsInput(dev)
    dev.check()
    with pytest.raises(SettingsError, match="FAMILYBOT_TWILIO_AUTH_TOKEN"):
        TwilioSmsInput(replace(dev, twilio_auth_token=""))


def test_check_leaves_a_deployment_without_sms_alone():
    replace(PRODUCTION, twilio_account_sid="", twilio_auth_token="", public_url="").check()


def test_the_environment_reaches_the_check():
    settings = load_settings(
        environ={
            "FAMILYBOT_ENV": "production",
            "FAMILYBOT_SECRET_KEY": "k" * 48,
            "FAMILYBOT_TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "FAMILYBOT_TWILIO_AUTH_TOKEN": "change-me",
            "FAMILYBOT_PUBLIC_URL": "https://familybot.district.org",
        },
        dotenv=None,
    )
    with pytest.raises(SettingsError, match="FAMILYBOT_TWILIO_AUTH_TOKEN"):
        settings.check()
