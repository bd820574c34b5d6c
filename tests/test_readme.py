"""The README's Python example runs as written (outputs redirected to a temporary folder)."""
from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_python_api_example_runs(tmp_path, monkeypatch):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = re.search(r"## Python API\s+```python\n(.*?)```", readme, re.S).group(1)
    monkeypatch.chdir(ROOT)
    namespace: dict = {}
    exec(compile(code.replace('"exports', f'"{tmp_path.as_posix()}'), "README.md", "exec"), namespace)
    graph, llm = namespace["graph"], namespace["llm"]
    assert llm.name == "large language model"
    assert graph.related(llm, 10), "the sample's most frequent method co-occurs with others"
    assert {"graph.kg.json.gz", "graph.ttl", "graph.nt", "graph.jsonld"} <= set(os.listdir(tmp_path))
