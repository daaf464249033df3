"""moto_server plus two opt-in test behaviours that moto itself cannot simulate.

moto never fails a Glue job run and always reports container exit code 0 (see
/work/shared/reference/local-services-and-testing.md). Tests of failure handling need both, so
this launcher patches moto's models before starting the ordinary server. Nothing changes unless a
request opts in, so every other test sees plain moto:

* Glue job run arguments
  - ``--finks_run_seconds=<n>``: the run stays RUNNING for n seconds after StartJobRun (per run,
    instead of the global ``glue::job_run`` state-manager setting other tests share);
  - ``--finks_fail_with=<message>``: the run then ends FAILED with that ``ErrorMessage``.
* ECS: ``FINKS_MOTO_EXIT_CODE=<n>`` in a container's environment (task definition or RunTask
  container override): when the task reaches STOPPED, its containers report exit code n, and a
  non-zero code stops the task with ``stopCode=EssentialContainerExited`` and the stopped reason
  ECS gives, "Essential container in task exited".

Usage is moto_server's: ``python finks_moto_server.py -H 127.0.0.1 -p 5000``.
"""

import sys
import time
from typing import Any

from moto.ecs.models import Task
from moto.glue.models import FakeJobRun
from moto.server import main

GLUE_TERMINAL = {"SUCCEEDED", "FAILED", "ERROR", "TIMEOUT", "STOPPED"}

_glue_init = FakeJobRun.__init__
_glue_status = FakeJobRun.status
_glue_as_dict = FakeJobRun.as_dict


def _glue_job_run_init(self: FakeJobRun, *args: Any, **kwargs: Any) -> None:
    _glue_init(self, *args, **kwargs)
    self.finks_started = time.monotonic()


def _glue_job_run_status(self: FakeJobRun) -> str | None:
    arguments = self.arguments or {}
    run_seconds = arguments.get("--finks_run_seconds")
    fail_with = arguments.get("--finks_fail_with")
    if run_seconds is None and fail_with is None:
        return _glue_status.fget(self)
    if self._status in GLUE_TERMINAL:
        return self._status
    if run_seconds is not None and time.monotonic() - self.finks_started < float(run_seconds):
        self._status = "RUNNING"
    else:
        self._status = "FAILED" if fail_with is not None else "SUCCEEDED"
    return self._status


def _glue_job_run_as_dict(self: FakeJobRun) -> dict[str, Any]:
    result = _glue_as_dict(self)
    fail_with = (self.arguments or {}).get("--finks_fail_with")
    if fail_with is not None and result["JobRunState"] == "FAILED":
        result["ErrorMessage"] = fail_with
    return result


FakeJobRun.__init__ = _glue_job_run_init  # type: ignore[method-assign]
FakeJobRun.status = property(_glue_job_run_status, _glue_status.fset)  # type: ignore[assignment]
FakeJobRun.as_dict = _glue_job_run_as_dict  # type: ignore[method-assign]

_ecs_status = Task.status


def _exit_code_for(task: Task, container_name: str | None, environment: Any) -> int | None:
    """FINKS_MOTO_EXIT_CODE from the RunTask override of the container, else its definition."""
    sources = []
    for override in (task.overrides or {}).get("containerOverrides", []) or []:
        if override.get("name") == container_name:
            sources.append(override.get("environment") or [])
    sources.append(environment or [])
    for variables in sources:
        for variable in variables:
            if variable.get("name") == "FINKS_MOTO_EXIT_CODE":
                return int(variable.get("value"))
    return None


def _ecs_task_status(self: Task) -> str | None:
    status = _ecs_status.fget(self)
    if status == "STOPPED" and not getattr(self, "finks_stopped", False):
        self.finks_stopped = True
        for container in self.containers:
            code = _exit_code_for(self, container.name, container.environment)
            if code is None:
                continue
            container.exitCode = code
            container.last_status = "STOPPED"
            if code != 0 and not self.stopped_reason:
                self.stopped_reason = "Essential container in task exited"
                self.stop_code = "EssentialContainerExited"
    return status


_ecs_advance = Task.advance


def _ecs_task_advance(self: Task) -> None:
    # describe_tasks advances, then serialises containers before the task's own status: reading
    # the status here applies the exit code before anything is serialised.
    _ecs_advance(self)
    _ecs_task_status(self)


Task.status = property(_ecs_task_status, _ecs_status.fset)  # type: ignore[assignment]
Task.advance = _ecs_task_advance  # type: ignore[method-assign]

if __name__ == "__main__":
    main(sys.argv[1:])
