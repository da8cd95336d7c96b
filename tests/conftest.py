import sys
from pathlib import Path

# Test helpers (monde.py…) live beside the tests.
sys.path.insert(0, str(Path(__file__).parent))

# SVG snapshots live in snapshots/<test file>/ at the repo root (DESIGN.md),
# not in syrupy's default tests/__snapshots__/.
from pytest_textual_snapshot import SVGImageExtension  # noqa: E402

SNAPSHOTS = Path(__file__).parent.parent / "snapshots"
SVGImageExtension.dirname = classmethod(
    lambda cls, *, test_location: str(SNAPSHOTS / Path(test_location.filepath).stem)
)
