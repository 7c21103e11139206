"""The map page in a real browser: npm playwright-core drives Debian's /usr/bin/chromium (no browser download).

``web/e2e/run.mjs`` does the browser work; this test builds the data (the founding article + a hostile article),
serves it with uvicorn on loopback, writes a one-file map, runs the script and asserts every check it reports.
Screenshots are kept in ``test-artifacts/e2e/``. Skipped (with the reason) without node, chromium or
``web/node_modules`` (``npm ci`` in web/; .ci/run installs all three)."""
import json
import os
import shutil
import socket
import subprocess
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from flashpoint.model import Article
from flashpoint.store import ingest
from flashpoint.web.api import create_app
from flashpoint.web.onefile import build_html, input_rows

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "samples" / "trtworld-aleppo-offensive.txt"
WEB = ROOT / "web"
CHROMIUM = os.environ.get("FLASHPOINT_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
FAKE = "flashpoint.scale.fake:FakeExtractor"
HOSTILE_WORD = "zzhostile"
SERVER_START_S = 20
BROWSER_RUN_S = 300

HOSTILE = Article(
    id="hostile-<script>self['__xss']='id'</script>",
    title=f"<script>self['__xss']='title'</script><img src=x onerror=\"self['__xss']='img'\"> {HOSTILE_WORD}",
    url="javascript:self['__xss']='url'",
    source="<b onmouseover=\"self['__xss']='source'\">outlet</b>",
    published=date(2015, 10, 21),
    text=("On 2015-10-20, Valley Militia attacked Zedtown, killing 4 <img src=x onerror=\"self['__xss']='text'\"> "
          f"<script>self['__xss']='script'</script> <a href=\"javascript:self['__xss']='a'\">javascript:click</a> "
          f"{HOSTILE_WORD} and more."),
)


def _missing() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed"
    if not Path(CHROMIUM).exists():
        return f"no chromium at {CHROMIUM} (apt-get install chromium)"
    if not (WEB / "node_modules" / "playwright-core").is_dir():
        return "web/node_modules/playwright-core missing (run `npm ci` in web/)"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    import uvicorn

    reason = _missing()
    if reason:  # skip before extracting anything
        pytest.skip(reason)
    db = str(tmp_path_factory.mktemp("e2e") / "e2e.db")
    assert ingest([str(SEED)], db, published=date(2015, 10, 27), embedder=None).ingested == 1
    assert ingest([HOSTILE], db, extractor=FAKE, embedder=None).events == 1
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=_free_port(), log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + SERVER_START_S
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield f"http://127.0.0.1:{server.config.port}/"
    server.should_exit = True
    thread.join(SERVER_START_S)


@pytest.mark.slow
def test_map_in_a_real_browser(served, tmp_path):
    rows, errors = input_rows([str(SEED)], published=date(2015, 10, 27))
    assert rows and not errors
    onefile = tmp_path / "events.html"
    onefile.write_text(build_html(rows), encoding="utf-8")
    cfg = {"url": served, "onefile": str(onefile), "artifacts": str(ARTIFACTS), "hostile": HOSTILE_WORD}
    proc = subprocess.run(["node", str(WEB / "e2e" / "run.mjs"), json.dumps(cfg)], cwd=WEB, capture_output=True,
                          text=True, timeout=BROWSER_RUN_S)
    checks = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    failed = [c for c in checks if not c["ok"]]
    assert checks and not failed and proc.returncode == 0, (failed, proc.stderr[-2000:])
    names = {c["name"] for c in checks}
    assert {"markers appear", "hostile article shows as inert text", "admin-1 borders are drawn under the markers",
            "one-file map opens with the network blocked", "one-file map draws the admin-1 borders"} <= names
    assert (ARTIFACTS / "map-panel.png").stat().st_size > 0
