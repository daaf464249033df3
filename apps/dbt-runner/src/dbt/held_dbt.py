"""dbt, imported and parsed ahead of time, that runs when told to (the runner's `--hold`).

A local master flow starts its gold step while silver is still being written: importing dbt
and parsing the project (about 5 s on the bench) need no data, so they overlap the silver step
instead of following it. The runner passes the parse's and the run's argv as two JSON arrays.
One line on stdin decides: `go` runs the invocation on the parsed manifest; anything else, or
the end of input (the flow stopped before gold), exits NOT_RELEASED and runs nothing.
Exit codes otherwise are dbt's own: 0 ok, 1 a node failed, 2 dbt itself failed.
"""

import json
import sys

NOT_RELEASED = 3


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: held_dbt.py '<parse argv as JSON>' '<run argv as JSON>'", file=sys.stderr)
        return 2
    parse_args, run_args = json.loads(argv[1]), json.loads(argv[2])

    from dbt.cli.main import dbtRunner  # the slow import this script exists to do early

    parsed = dbtRunner().invoke(parse_args)
    # A parse that fails is not reported here: the run then parses again and fails as dbt does.
    manifest = parsed.result if parsed.success else None
    print("held dbt: parsed, waiting for go on stdin", file=sys.stderr, flush=True)
    if sys.stdin.readline().strip() != "go":
        print("held dbt: released without go; nothing ran", file=sys.stderr, flush=True)
        return NOT_RELEASED
    result = dbtRunner(manifest=manifest).invoke(run_args)
    if result.success:
        return 0
    return 2 if result.exception is not None else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
