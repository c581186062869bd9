"""A process for the crash tests to kill -9: it ingests a folder, or saves map versions in a loop.

Usage: python tests/crash_worker.py ingest HOME FOLDER | maps HOME
It prints one line per committed step (flushed), so the test knows what must survive.
"""

from __future__ import annotations

import sys
from pathlib import Path

from assistant.offline import apply_offline_defaults

apply_offline_defaults()

from assistant.context import Journey  # noqa: E402
from assistant.maps.models import JourneyMap, Persona, Stage  # noqa: E402
from assistant.maps.store import MapStore  # noqa: E402
from assistant.settings import load_settings  # noqa: E402


def main() -> None:
    """Run the requested work until killed."""
    mode, home = sys.argv[1], Path(sys.argv[2])
    if mode == "maps":
        store = MapStore(home / "maps.sqlite")
        journey_map = JourneyMap(
            id="crash", title="crash", persona=Persona(name="P", summary=""), stages=[Stage(name="use")]
        )
        while True:
            saved = store.save(journey_map, "default")
            print(f"saved {saved.version}", flush=True)
    journey = Journey.open(load_settings(JOURNEY_HOME=str(home)))

    def tick(step: object) -> None:
        if getattr(step, "phase", "") == "done":
            print(f"done {step.file}", flush=True)  # type: ignore[attr-defined]

    journey.ingester().ingest([Path(sys.argv[3])], progress=tick)
    print("finished", flush=True)


if __name__ == "__main__":
    main()
