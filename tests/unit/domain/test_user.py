"""How a person is named to strangers."""

from __future__ import annotations

import pytest

from domain.accounts.user import public_name


@pytest.mark.parametrize(("display_name", "shown"), [("Ana García López", "Ana G."), ("Carlos Ruiz", "Carlos R."),
                                                      ("Elena", "Elena"), ("  ana   de la vega ", "ana V.")])
def test_strangers_see_a_first_name_and_an_initial(display_name, shown):
    assert public_name(display_name) == shown
