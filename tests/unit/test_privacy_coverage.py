"""Every bounded context that keeps personal data takes part in the person's data export: a new
context fails here until it has a source (adapters/outbound/privacy) or a stated reason not to."""

from __future__ import annotations

import re

from application.privacy.ports import PersonalDataSources
from bootstrap import CONTEXT_MODULES

# Contexts that keep no personal data of their own, and why.
WITHOUT_PERSONAL_DATA = {
    "operations": "backups: copies of the other contexts' stores, not a store of its own",
    "messaging": "the outbox relays events in flight; their data is exported by the context that recorded them",
    "privacy": "the exports themselves: an archive of archives would only repeat them",
    "email": "sent-mail records: an event id, a template name and a time, nothing about the person",
    "accountdeletion": "wiring of a deletion across the contexts; its log keeps only ids and times of accounts "
                       "already deleted, whose owners can no longer sign in to ask",
}


def _context_of(module: type) -> str:
    return re.sub(r"Module$", "", module.__name__).lower()


def _sources(app) -> PersonalDataSources:
    return app.extensions["injector"].get(PersonalDataSources)


def test_every_context_with_personal_data_has_an_export_source(app):
    contexts = {_context_of(module) for module in CONTEXT_MODULES}
    exported = {context for source in _sources(app).sources for context in source.contexts}
    missing = contexts - exported - set(WITHOUT_PERSONAL_DATA)
    assert not missing, f"contexts with no PersonalDataSource in bootstrap.PrivacyModule: {sorted(missing)}"


def test_the_lists_name_only_real_contexts(app):
    contexts = {_context_of(module) for module in CONTEXT_MODULES}
    exported = {context for source in _sources(app).sources for context in source.contexts}
    assert exported <= contexts, f"sources naming no context: {sorted(exported - contexts)}"
    assert set(WITHOUT_PERSONAL_DATA) <= contexts, "an exemption names a context that no longer exists"
    assert not exported & set(WITHOUT_PERSONAL_DATA), "a context is both exported and exempt"


def test_the_check_sees_a_context_without_a_source(app):
    exported = {context for source in _sources(app).sources for context in source.contexts}
    assert "reviews" in exported and {"reviews", "newcontext"} - exported - set(WITHOUT_PERSONAL_DATA) == {"newcontext"}


def test_each_source_has_its_own_file_name(app):
    names = [source.name for source in _sources(app).sources]
    assert len(names) == len(set(names)) and all(re.fullmatch(r"[a-z_]+", name) for name in names)
    assert "export" not in names  # the manifest's name
