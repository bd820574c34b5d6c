"""The page in a real headless Chromium, opened from ``file://`` with every network request blocked.

Needs Debian's chromium at /usr/bin/chromium (``.ci/run`` installs it); skipped with a clear
reason where it is missing. Playwright drives it; ``playwright install`` is never used.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.export.html import select_nodes, write_html

from .conftest import SCRIPT_NAME, XSS_TITLE

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright (python) is not installed")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(shutil.which(CHROMIUM) is None, reason=f"{CHROMIUM} missing: apt-get install chromium"),
]


class Browser:
    """A fresh Chromium profile whose only allowed requests are ``file://`` ones; the rest are aborted and recorded."""

    def __init__(self, playwright, profile: Path) -> None:
        self.context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 800},
        )
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.context.route("**/*", self._route)

    def _route(self, route) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def open(self, path: Path):
        """Open a page and wait until its layout is stable; ``blocked`` and ``errors`` then hold this page's only."""
        self.blocked.clear()
        self.errors.clear()
        self.requests.clear()
        page = self.context.new_page()
        page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.goto(path.as_uri())
        page.wait_for_function("() => window.kgView && window.kgView.stable", timeout=120_000)
        return page


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with playwright_api.sync_playwright() as playwright:
        chromium = Browser(playwright, tmp_path_factory.mktemp("chromium-profile"))
        yield chromium
        chromium.context.close()


@pytest.fixture
def toy_page(toy_graph, tmp_path, browser):
    page = browser.open(write_html(toy_graph, tmp_path / "toy.html"))
    yield page
    page.close()


def visible_ids(page) -> list[str]:
    return sorted(page.evaluate("kgView.nodes.get({filter: n => !n.hidden}).map(n => n.id)"))


def hover(page, node_id: str) -> str:
    """Move the real mouse over a node and return the tooltip's text."""
    point = page.evaluate(
        """id => { const p = kgView.network.canvasToDOM(kgView.network.getPositions([id])[id]);
                   const r = document.getElementById('kg-network').getBoundingClientRect();
                   return {x: r.left + p.x, y: r.top + p.y}; }""",
        node_id,
    )
    page.mouse.move(point["x"] - 3, point["y"] - 3)
    page.mouse.move(point["x"], point["y"])
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=5_000)
    return tooltip.text_content()


def test_page_works_offline_with_every_node(toy_graph, toy_page, browser):
    nxg = toy_graph.to_networkx()
    assert toy_page.evaluate("kgView.nodes.length") == nxg.number_of_nodes()
    assert toy_page.evaluate("kgView.edges.length") == nxg.number_of_edges()
    assert visible_ids(toy_page) == sorted(nxg.nodes)
    assert browser.requests == [toy_page.url]  # the page itself, nothing else
    assert browser.blocked == []
    assert browser.errors == []


def test_search_by_alias_selects_and_centres_the_node(toy_page):
    toy_page.fill("#kg-search", "low-rank adaptation")
    toy_page.press("#kg-search", "Enter")
    assert toy_page.evaluate("kgView.network.getSelectedNodes()") == ["entity:method/lora"]
    view, node = toy_page.evaluate(
        "[kgView.network.getViewPosition(), kgView.network.getPositions(['entity:method/lora'])['entity:method/lora']]"
    )
    assert abs(view["x"] - node["x"]) < 1 and abs(view["y"] - node["y"]) < 1
    assert "LoRA" in toy_page.text_content("#kg-search-status")


def test_search_reports_a_miss(toy_page):
    toy_page.fill("#kg-search", "nothing like this")
    toy_page.click("#kg-search-go")
    assert toy_page.evaluate("kgView.network.getSelectedNodes()") == []
    assert "No node matches" in toy_page.text_content("#kg-search-status")


def test_unchecking_a_type_hides_its_nodes(toy_graph, toy_page):
    models = {"entity:model/gpt-4", "entity:model/llama-2"}
    toy_page.uncheck("#kg-type-Model")
    assert set(visible_ids(toy_page)) == set(toy_graph.to_networkx().nodes) - models
    toy_page.check("#kg-type-Model")
    assert models <= set(visible_ids(toy_page))
    toy_page.uncheck("#kg-type-Paper")
    assert not [n for n in visible_ids(toy_page) if n.startswith("paper:")]


def test_min_papers_control_hides_what_the_python_filter_drops(toy_graph, toy_page):
    toy_page.fill("#kg-min-papers", "2")
    assert visible_ids(toy_page) == select_nodes(toy_graph.to_networkx(), min_papers=2)
    assert "entity:method/qlora" not in visible_ids(toy_page)
    toy_page.fill("#kg-min-papers", "5")
    assert not [n for n in visible_ids(toy_page) if n.startswith("entity:")]


def test_hostile_strings_are_shown_as_text_and_run_nothing(toy_page):
    paper_tip = hover(toy_page, "paper:2401.00004")
    assert XSS_TITLE in paper_tip
    assert "Mallory <b>Evil</b>" in paper_tip
    task = toy_page.evaluate("kgView.nodes.get({filter: n => n.label.startsWith('</script>')})[0].id")
    assert SCRIPT_NAME in hover(toy_page, task)
    assert toy_page.evaluate("typeof window.__xss") == "undefined"
    assert toy_page.locator("img").count() == 0


def test_tooltips_carry_the_details(toy_page):
    paper = hover(toy_page, "paper:2401.00001")
    for text in ("Scaling LoRA for GPT-4", "2024-01-02", "Ada Lovelace, Alan Turing", "https://arxiv.org/abs/2401.00001"):
        assert text in paper
    entity = hover(toy_page, "entity:model/gpt-4")
    for text in ("GPT-4", "Model", "GPT4, gpt-4 model", "Papers: 4"):
        assert text in entity
    edge = toy_page.evaluate("kgView.edges.get('entity:method/qlora|variantOf|entity:method/lora').title.textContent")
    assert "variantOf" in edge and "QLoRA is a variant of LoRA." in edge


def test_ego_page_opens_focused_on_its_entity(toy_graph, tmp_path, browser):
    page = browser.open(write_html(toy_graph, tmp_path / "ego.html", focus="GPT4", depth=1))
    assert page.evaluate("kgView.network.getSelectedNodes()") == ["entity:model/gpt-4"]
    assert browser.blocked == [] and browser.errors == []
    page.close()


@pytest.mark.slow
def test_sample_graph_screenshot(sample_graph, tmp_path, browser):
    page = browser.open(write_html(sample_graph, tmp_path / "sample.html", title="kg: the bundled sample"))
    assert page.evaluate("kgView.nodes.length") == sample_graph.to_networkx().number_of_nodes()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "graph.png"))
    assert browser.requests == [page.url]
    assert (ARTIFACTS / "graph.png").stat().st_size > 10_000
    assert browser.blocked == [] and browser.errors == []
    page.close()


def test_large_graph_opens_drawn_at_once_and_searchable(large_graph, tmp_path, browser):
    page = browser.open(write_html(large_graph, tmp_path / "large.html"))
    assert page.evaluate("kgView.network.physics.physicsEnabled") is False
    assert page.evaluate("kgView.nodes.length") == large_graph.to_networkx().number_of_nodes()
    page.fill("#kg-search", "model-123")
    page.press("#kg-search", "Enter")
    assert page.evaluate("kgView.network.getSelectedNodes()") == ["entity:model/model-123"]
    assert browser.blocked == [] and browser.errors == []
    page.close()


def test_the_harness_catches_a_request_that_leaves(tmp_path, browser):
    leaky = tmp_path / "leaky.html"
    leaky.write_text('<!DOCTYPE html><img src="https://cdn.example.invalid/x.png">'
                     "<script>window.kgView = {stable: true}</script>")
    page = browser.open(leaky)
    page.wait_for_timeout(200)
    assert browser.blocked == ["https://cdn.example.invalid/x.png"]
    page.close()


def test_large_ego_page_opens_focused_on_its_entity(large_graph, tmp_path, browser):
    page = browser.open(write_html(large_graph, tmp_path / "ego.html", focus="Transformer", depth=2))
    assert page.evaluate("kgView.network.physics.physicsEnabled") is False  # precomputed layout
    assert page.evaluate("kgView.network.getSelectedNodes()") == ["entity:method/transformer"]
    page.close()
