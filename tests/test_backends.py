"""The three backends (memory, Oxigraph store, SPARQL endpoint) give the same JSON.

The endpoint is a real Oxigraph server (PyPI package ``oxigraph``) on 127.0.0.1, serving
the store read-only.
"""

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from chainmodel.cli import cli
from chainmodel.errors import ParseError, RefusedInput
from chainmodel.generate import write_model
from chainmodel.snapshot import MANIFEST_FILE
from chainmodel.snapshot import load_store, open_store

COMMANDS = [
    ["leaks"], ["cutsets", "--order", "2"], ["blast", "--rank"], ["describe"], ["validate"], ["trace"],
]


def oxigraph_binary():
    found = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(found).exists():
        pytest.skip("the oxigraph server (PyPI package oxigraph) is not installed")
    return found


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module", params=["examples/case-a-laptop", "examples/case-b-optout", "generated"])
def backends(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("backend")
    if request.param == "generated":
        model = folder / "generated.nt"
        write_model(model, 40, seed=7)
    else:
        model = Path(request.param)
    store = folder / "store"
    load_store([model], store)
    port = free_port()
    server = subprocess.Popen([oxigraph_binary(), "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=1).read()
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("the Oxigraph server did not start")
            time.sleep(0.1)
    read_back = folder / "store-without-saved-view"  # as if built by another tool: every triple is read back
    shutil.copytree(store, read_back)
    (read_back / MANIFEST_FILE).unlink()
    yield {"memory": [str(model)], "store": ["--store", f"oxigraph:{store}"], "endpoint": ["--endpoint", url],
           "store-read-back": ["--store", f"oxigraph:{read_back}"]}
    server.terminate()
    server.wait(timeout=10)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_every_backend_gives_the_same_json(backends, command):
    outputs = {}
    for name, source in backends.items():
        result = CliRunner().invoke(cli, [*command, *source, "--format", "json"])
        assert result.exit_code in (0, 1), (name, result.output)
        outputs[name] = result.output
    assert outputs["store"] == outputs["memory"]
    assert outputs["endpoint"] == outputs["memory"]
    assert outputs["store-read-back"] == outputs["memory"]


def test_a_failed_load_leaves_the_store_as_it_was(tmp_path):
    store = tmp_path / "store"
    assert load_store(["examples/case-a-laptop"], store) == 286
    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    with pytest.raises(ParseError):
        load_store(["examples/case-b-optout", bad], store)
    assert len(open_store(f"oxigraph:{store}")) == 286
    assert not (tmp_path / "store.loading").exists()


def test_store_load_refuses_what_the_memory_load_refuses(tmp_path):
    hostile = tmp_path / "m.jsonld"
    hostile.write_text('{"@context": "https://example.org/ctx.jsonld", "@id": "urn:a"}', encoding="utf-8")
    with pytest.raises(RefusedInput):
        load_store([hostile], tmp_path / "store")
    assert not (tmp_path / "store").exists()


def test_missing_store_and_both_sources_are_clear_errors(tmp_path):
    missing = CliRunner().invoke(cli, ["leaks", "--store", f"oxigraph:{tmp_path / 'none'}"])
    assert missing.exit_code == 2 and "chainmodel load" in missing.output
    both = CliRunner().invoke(cli, ["leaks", "examples/case-a-laptop", "--store", f"oxigraph:{tmp_path}"])
    assert both.exit_code == 2 and "exactly one" in both.output


@pytest.mark.parametrize("name", ["chains-per-duty", "deep-tiers", "unapproved-reconsignments",
                                  "sensitive-data-per-party", "shared-consignees"])
def test_named_queries_give_the_same_answer_inside_the_store(backends, name):
    memory = CliRunner().invoke(cli, ["query", *backends["memory"], "--name", name, "--format", "json"])
    store = CliRunner().invoke(cli, ["query", *backends["store"], "--name", name, "--format", "json"])
    assert memory.exit_code == store.exit_code == 0, store.output
    assert store.output == memory.output


def test_a_runaway_query_inside_the_store_is_stopped(backends, tmp_path):
    query = tmp_path / "cartesian.rq"
    query.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }", encoding="utf-8")
    result = CliRunner().invoke(cli, ["query", *backends["store"], "--query", str(query), "--timeout", "1"])
    assert result.exit_code == 3
