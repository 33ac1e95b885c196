"""A write the driver retried after its first attempt landed (the answer was lost when the server
died) meets its own document. The repositories treat meeting the identical document as success and
anything else with the same key as the conflict it is; the same checks run on the fakes, so they
cannot drift. tests/verify/test_faults_mongo.py produces the real retry by SIGKILLing the server."""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, datetime

import pytest

from adapters.outbound.accounts.in_memory import InMemoryUserRepository
from adapters.outbound.accounts.mongo_documents import ACCOUNTS_DOCUMENTS
from adapters.outbound.accounts.mongo_repositories import MongoUserRepository
from adapters.outbound.catalog.in_memory import InMemoryServiceRepository
from adapters.outbound.catalog.mongo_documents import CATALOG_DOCUMENTS
from adapters.outbound.catalog.mongo_repositories import MongoServiceRepository
from adapters.outbound.mongo.connection import MongoConnection, disconnect
from domain.accounts.email import Email
from domain.accounts.errors import EmailAlreadyRegistered
from domain.accounts.user import User
from domain.shared.access import Role
from domain.shared.errors import Conflict
from domain.shared.ids import new_id
from tests.integration.test_catalog_mongo import _service

pytestmark = pytest.mark.integration

# Microseconds on purpose: the server keeps milliseconds, and the comparison must allow for it.
NOW = datetime(2026, 11, 23, 10, 0, 0, 123456, tzinfo=UTC)


@pytest.fixture(params=["memory", "mongodb"])
def backend(request):
    if request.param == "memory":
        yield "memory"
        return
    connection = MongoConnection(request.getfixturevalue("mongo_url"), f"retried_{new_id()[:8]}")
    connection.ensure([*ACCOUNTS_DOCUMENTS, *CATALOG_DOCUMENTS])
    try:
        yield "mongodb"
    finally:
        connection.db.client.drop_database(connection.db.name)
        disconnect()


def test_adding_the_same_service_again_is_done_and_another_with_its_id_conflicts(backend):
    services = InMemoryServiceRepository() if backend == "memory" else MongoServiceRepository()
    service = dataclasses.replace(_service(random.Random(7), 1), created_at=NOW, updated_at=NOW)

    services.add(service)
    services.add(dataclasses.replace(service))

    assert services.get(service.id).title == service.title
    with pytest.raises(Conflict):
        services.add(dataclasses.replace(service, title="Someone else's service"))


def test_adding_the_same_user_again_is_done_and_another_with_the_email_is_refused(backend):
    users = InMemoryUserRepository() if backend == "memory" else MongoUserRepository()
    user = User.register(user_id=new_id(), email=Email("ana@example.com"), display_name="Ana", password_hash="h",
                         role=Role.BUYER, now=NOW)

    users.add(user)
    users.add(dataclasses.replace(user))

    assert users.get(user.id).email == user.email
    with pytest.raises(EmailAlreadyRegistered):
        users.add(User.register(user_id=new_id(), email=Email("ana@example.com"), display_name="Other",
                                password_hash="h", role=Role.BUYER, now=NOW))
    with pytest.raises(EmailAlreadyRegistered):
        users.add(dataclasses.replace(user, display_name="Not the same write"))
