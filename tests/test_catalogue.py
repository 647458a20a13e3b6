"""The one catalogue of words: every entry in both languages, with the same placeholders."""

import pytest

from chainmodel.catalogue import LANGUAGES, CatalogueError, placeholders, say, words


@pytest.mark.parametrize("key", sorted(words()))
def test_every_entry_has_english_and_japanese_with_the_same_placeholders(key):
    entry = words()[key]
    assert set(entry) == set(LANGUAGES), key
    assert placeholders(key, "en") == placeholders(key, "ja"), key


def test_an_unknown_key_is_our_own_error():
    with pytest.raises(CatalogueError, match="no entry 'nope'"):
        say("nope")


def test_english_plurals_follow_the_count():
    assert [say("unit.households", "en", count=n) for n in (1, 2)] == ["1 household", "2 households"]


def test_role_words_are_the_ontology_labels_of_the_role_classes():
    from rdflib import URIRef
    from rdflib.namespace import RDFS

    from chainmodel.model import ontology_graph
    from chainmodel.views import ROLE_CLASSES

    for cls, role in ROLE_CLASSES.items():
        labels = {label.language: str(label) for label in ontology_graph().objects(URIRef(cls), RDFS.label)}
        assert {lang: say(f"role.{role}", lang) for lang in LANGUAGES} == labels, role
