"""Common and trivial passwords are refused with the reason; the demo and test passwords pass."""

from __future__ import annotations

import time

import pytest

from adapters.inbound.cli.demo import DEMO_PASSWORD
from adapters.outbound.accounts.password_strength import ZxcvbnPasswordStrength
from domain.accounts.password_policy import PasswordWeakness

strength = ZxcvbnPasswordStrength()
ANA = ["ana.garcia@example.com", "Ana García"]


@pytest.mark.parametrize(("password", "reason"), [
    ("aaaaaaaaaa", PasswordWeakness.REPEATED_CHARACTERS),
    ("1234567890", PasswordWeakness.COMMON_PASSWORD),
    ("password12", PasswordWeakness.COMMON_PASSWORD),
    ("qwertyuiop", PasswordWeakness.COMMON_PASSWORD),
    ("abcdefghij", PasswordWeakness.SEQUENCE),
    ("iloveyou12", PasswordWeakness.COMMON_PASSWORD),
    ("Ana.Garcia99", PasswordWeakness.PERSONAL_DATA),
    ("anagarcia1990", PasswordWeakness.PERSONAL_DATA),
    ("sunshinesunshine", PasswordWeakness.REPEATED_CHARACTERS),
])
def test_common_and_trivial_passwords_are_refused_with_their_reason(password, reason):
    assert strength.weakness(password, ANA) is reason


@pytest.mark.parametrize("password", [DEMO_PASSWORD, "a-long-password", "otra clave bastante larga",
                                      "correct horse battery staple"])
def test_phrases_and_the_demo_password_pass(password):
    assert strength.weakness(password, ANA) is None


def test_a_long_password_costs_little_to_judge():
    started = time.perf_counter()
    strength.weakness("x1-" * 85, ANA)  # 255 characters, at the policy's limit
    assert time.perf_counter() - started < 0.5
