"""Unit-test fixtures: the data layer is read with every scope unless a test
says otherwise (auth.context.use_scope), granted explicitly here."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session", autouse=True)
def _system_scope_for_the_tests():
    from auth.context import grant_process_scope
    from auth.scope import SYSTEM

    grant_process_scope(SYSTEM)
    yield
    grant_process_scope(None)
