"""Instructions per request of one back-office page, counted by valgrind's callgrind.

    python -m bench.instructions detail        # my_work, list, detail, search

Times on the clock and even CPU times vary by a quarter between runs on a shared machine;
the number of instructions the app's process executes does not. Runs `bench.inprocess`
under callgrind twice, with 10 and with 30 requests, and prints the difference per request:
the app's own work for one page (the database server's is not counted). Compare a change
with the commit before it, on the same data. Needs valgrind (Debian: valgrind).
"""

import re
import subprocess
import sys

SCENARIOS = ("my_work", "list", "detail", "search")


def instructions(scenario: str, requests: int) -> int:
    result = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            "-m",
            "bench.inprocess",
            scenario,
            str(requests),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.search(r"Collected : (\d+)", result.stderr)
    if found is None:
        raise SystemExit(f"{scenario}: callgrind printed no count\n{result.stderr[-2000:]}")
    return int(found.group(1))


def main(argv: list[str]) -> None:
    if len(argv) != 1 or argv[0] not in SCENARIOS:
        raise SystemExit(f"usage: python -m bench.instructions {{{','.join(SCENARIOS)}}}")
    scenario = argv[0]
    few, many = instructions(scenario, 10), instructions(scenario, 30)
    print(f"{scenario}: {(many - few) / 20 / 1e6:.1f} million instructions per request")


if __name__ == "__main__":
    main(sys.argv[1:])
