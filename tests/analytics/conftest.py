"""Every analytics test runs on SQLite and on PostgreSQL (``db`` parameter)."""
import pytest

from tests.analytics.histories import seed


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def backend(request):
    return request.param


@pytest.fixture
def deals(backend, ctx, people):
    return seed(people)
